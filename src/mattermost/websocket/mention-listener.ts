import WS from 'ws';
import type { Clock } from '../../core/clock.js';
import type { MessageInput } from '../../core/incoming.js';
import type { Logger } from '../../logger.js';
import type { AnsweredPostStore } from '../answered-posts.js';
import type { MattermostClient } from '../client.js';
import { WebSocketClient, type WebSocketClientInstance } from '../mattermost-lib.js';
import { postedEventSchema, type MattermostPost } from '../payloads.js';
import { decidePost, type BotIdentity, type PostContext } from '../to-incoming.js';
import { installWebSocketGlobals } from './polyfills.js';

/**
 * Listens for `posted` events and answers mentions and DMs. Nothing may be answered twice and nothing lost:
 * - every answered post id is claimed in SQLite before answering (a post can arrive over the socket and again in a
 *   catch-up);
 * - when the server cannot resume the connection (new `connection_id` in `hello`: events were lost; always the case
 *   when the socket authenticates by challenge, protocol doc correction 3), the posts of the bot's channels are
 *   read back over REST since the last one seen (`GET /channels/{id}/posts?since=`); the same happens at start-up
 *   from the cursor kept in SQLite, so a restart does not lose the mentions made meanwhile;
 * - an answer that fails (Mattermost down) gives its claim back and moves the cursor before it; a later catch-up
 *   answers it;
 * - while a catch-up has not completed (running, failed half-way, or cut by a stop), the saved cursor never moves
 *   past the one it started from: the channels it has not visited yet may hold missed mentions, and the next
 *   catch-up (a retry, or the start-up one after a crash) must read them again from there.
 */

export interface ListenerTuning {
  /** WebSocketClient's reconnect delay (3 s by default) and jitter (2 s). */
  minRetryMs: number;
  jitterMs: number;
  pingIntervalMs: number;
  /** How far back a catch-up may go, whatever the cursor says (a day-old question is still worth an answer). */
  catchUpMaxAgeMs: number;
  /** Posts this close before the cursor are read again: create_at order across channels is not delivery order. */
  catchUpMarginMs: number;
  /** Delay before retrying after a failed answer or a failed start. */
  retryAfterFailureMs: number;
}

export const DEFAULT_LISTENER_TUNING: ListenerTuning = {
  minRetryMs: 3000,
  jitterMs: 2000,
  pingIntervalMs: 30_000,
  catchUpMaxAgeMs: 24 * 60 * 60 * 1000,
  catchUpMarginMs: 60_000,
  retryAfterFailureMs: 60_000,
};

export interface MentionListenerOptions {
  client: MattermostClient;
  token: string;
  log: Logger;
  clock: Clock;
  store: AnsweredPostStore;
  /** Channel ids or names where mentions are answered; empty: every channel the bot is in. DMs are always answered. */
  answerChannels: readonly string[];
  /**
   * Answers one post. `mayBeAnswered`: this attempt comes from a catch-up (after a failed answer, a reconnect or a
   * restart), so an earlier attempt may have posted the answer and lost the response: the transport should look for
   * it before posting. False for a post just delivered over the WebSocket (a first attempt).
   */
  answer(input: MessageInput, delivery?: { mayBeAnswered: boolean }): Promise<void>;
  tuning?: Partial<ListenerTuning>;
}

export interface ListenerStatus {
  state: 'starting' | 'connected' | 'disconnected' | 'stopped';
  bot?: BotIdentity;
  lastError?: string;
}

export interface MentionListener {
  start(): void;
  stop(): Promise<void>;
  status(): ListenerStatus;
  /** Resolves once no answer and no catch-up is in progress. */
  idle(): Promise<void>;
}

export function createMentionListener(options: MentionListenerOptions): MentionListener {
  const tuning: ListenerTuning = { ...DEFAULT_LISTENER_TUNING, ...options.tuning };
  const { client, store, clock } = options;
  const log = options.log.child({ component: 'mattermost-websocket' });
  const allowed = new Set(options.answerChannels.map((entry) => entry.toLowerCase()));

  let state: ListenerStatus['state'] = 'starting';
  let bot: BotIdentity | undefined;
  let lastError: string | undefined;
  let socket: WebSocketClientInstance | undefined;
  let currentConnection: WS | undefined;
  let stopped = false;
  let startedAt = 0;
  let maxSeen: number | undefined;
  let initialCatchUpDone = false;
  let catchUpRunning: Promise<void> | undefined;
  let catchUpAgain = false;
  /** The cursor the oldest unfinished catch-up started from; the saved cursor stays at or before it until one completes. */
  let catchUpFloor: number | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const failed = new Map<string, number>();
  const inFlight = new Set<Promise<unknown>>();

  const track = <T>(promise: Promise<T>): void => {
    const guarded = promise.catch((error: unknown) => log.error({ err: error }, 'listener task failed'));
    inFlight.add(guarded);
    void guarded.finally(() => inFlight.delete(guarded));
  };

  const channelAllowed = (channelId: string, channelName: string) =>
    allowed.size === 0 || allowed.has(channelId.toLowerCase()) || (channelName !== '' && allowed.has(channelName.toLowerCase()));

  function saveCursor(): void {
    if (maxSeen === undefined) return;
    const oldestFailed = failed.size > 0 ? Math.min(...failed.values()) - 1 : Number.POSITIVE_INFINITY;
    store.setCursor(Math.min(maxSeen, oldestFailed, catchUpFloor ?? Number.POSITIVE_INFINITY));
  }

  function scheduleRetry(): void {
    if (retryTimer || stopped) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      track(catchUp('retry'));
    }, tuning.retryAfterFailureMs);
    retryTimer.unref();
  }

  async function handlePost(
    post: MattermostPost,
    context: PostContext,
    fromCatchUp?: { resolveUsername: () => Promise<string> },
  ): Promise<void> {
    if (!bot) return;
    maxSeen = Math.max(maxSeen ?? 0, post.create_at);
    const decision = decidePost(post, context, bot);
    if (!decision.answer) {
      log.debug({ postId: post.id, reason: decision.reason }, 'post ignored');
      saveCursor();
      return;
    }
    if (context.channelType !== 'D' && !channelAllowed(post.channel_id, context.channelName)) {
      log.debug({ postId: post.id, channelId: post.channel_id }, 'mention outside MM_ANSWER_CHANNELS ignored');
      saveCursor();
      return;
    }
    const now = clock.now().getTime();
    if (!store.claim(post.id, post.channel_id, now)) {
      log.debug({ postId: post.id }, 'post already answered');
      return;
    }
    try {
      const input = decision.input;
      if (fromCatchUp) input.user.username = await fromCatchUp.resolveUsername();
      await options.answer(input, { mayBeAnswered: fromCatchUp !== undefined || failed.has(post.id) });
      store.complete(post.id, clock.now().getTime());
      failed.delete(post.id);
    } catch (error) {
      store.release(post.id);
      failed.set(post.id, post.create_at);
      log.error({ err: error, postId: post.id, channelId: post.channel_id }, 'could not answer a post; it will be retried');
      scheduleRetry();
    } finally {
      saveCursor();
    }
  }

  async function runCatchUp(reason: string): Promise<void> {
    const now = clock.now().getTime();
    const cursor = store.cursor() ?? startedAt;
    const since = Math.max(cursor - tuning.catchUpMarginMs, now - tuning.catchUpMaxAgeMs);
    // Set before the first await: a live post handled meanwhile must not carry the cursor past unvisited channels.
    // Holding it at `cursor` (not lower) keeps the next catch-up's window exactly this one's.
    catchUpFloor = Math.min(catchUpFloor ?? Number.POSITIVE_INFINITY, cursor);
    const channels = await client.myChannels();
    let examined = 0;
    for (const channel of channels) {
      if (stopped) return;
      if (channel.delete_at > 0 || channel.last_post_at < since) continue;
      if (channel.type !== 'D' && !channelAllowed(channel.id, channel.name)) continue;
      for (const post of await client.postsSince(channel.id, since)) {
        // `since` also returns edits and deletions of older posts: only posts created in the window count.
        if (post.create_at < since) continue;
        examined += 1;
        await handlePost(
          post,
          { channelType: channel.type, channelName: channel.name, teamId: channel.team_id, username: '' },
          { resolveUsername: async () => (await client.getUser(post.user_id)).username },
        );
      }
    }
    if (stopped) return;
    // Every channel was read: the cursor may move to the newest post seen (or before a failed answer).
    catchUpFloor = undefined;
    saveCursor();
    log.info({ reason, since, channels: channels.length, examined }, 'caught up on missed posts');
  }

  /** One catch-up at a time; a request arriving meanwhile runs once more afterwards. */
  function catchUp(reason: string): Promise<void> {
    if (catchUpRunning) {
      catchUpAgain = true;
      return catchUpRunning;
    }
    catchUpRunning = (async () => {
      try {
        do {
          catchUpAgain = false;
          await runCatchUp(reason);
        } while (catchUpAgain && !stopped);
      } catch (error) {
        lastError = String(error);
        log.error({ err: error, reason }, 'catch-up failed; retrying later');
        scheduleRetry();
      } finally {
        catchUpRunning = undefined;
      }
    })();
    return catchUpRunning;
  }

  function connect(identity: BotIdentity): void {
    installWebSocketGlobals();
    bot = identity;
    const ws = new WebSocketClient({
      // The session in the upgrade request lets the server resume a connection (protocol doc correction 3).
      newWebSocketFn: (url: string) => {
        const connection = new WS(url, { headers: { Authorization: `Bearer ${options.token}` } });
        // WebSocketClient's error handler console.logs the whole error object (request, socket…); it only logs and
        // notifies error listeners, so the handler is kept away and the error goes to our log. `close` follows an
        // error and drives the reconnection as usual.
        Object.defineProperty(connection, 'onerror', { configurable: true, get: () => null, set: () => undefined });
        connection.on('error', (error) => {
          lastError = error.message;
          log.warn({ error: error.message }, 'websocket error');
        });
        currentConnection = connection;
        return connection as unknown as WebSocket;
      },
      minWebSocketRetryTime: tuning.minRetryMs,
      reconnectJitterRange: tuning.jitterMs,
      clientPingInterval: tuning.pingIntervalMs,
    });
    socket = ws;
    ws.addMessageListener((message) => {
      if (message.event === 'hello') {
        state = 'connected';
        lastError = undefined;
        if (!initialCatchUpDone) {
          initialCatchUpDone = true;
          track(catchUp('start'));
        }
        return;
      }
      if (message.event !== 'posted') return;
      const parsed = postedEventSchema.safeParse(message);
      if (!parsed.success) {
        log.warn({ issues: parsed.error.issues.length }, 'unreadable posted event ignored');
        return;
      }
      const { data } = parsed.data;
      track(
        handlePost(data.post, {
          channelType: data.channel_type,
          channelName: data.channel_name,
          teamId: data.team_id,
          username: data.sender_name.replace(/^@/, ''),
          mentions: data.mentions,
        }),
      );
    });
    // Also required for correctness: without a missed-message listener WebSocketClient does not reset its expected
    // sequence on a new connection id and reconnects forever on the mismatch.
    ws.addMissedMessageListener(() => track(catchUp('reconnect')));
    ws.addCloseListener(() => {
      if (!stopped) state = 'disconnected';
    });
    ws.initialize(client.websocketUrl(), options.token);
  }

  async function resolveIdentity(): Promise<void> {
    while (!stopped) {
      try {
        const me = await client.me();
        if (stopped) return;
        connect({ id: me.id, username: me.username });
        log.info({ botUserId: me.id, botUsername: me.username }, 'listening for mentions and direct messages');
        return;
      } catch (error) {
        if (stopped) return;
        lastError = String(error);
        log.error({ err: error }, 'cannot read the bot account (MM_URL, MM_BOT_TOKEN?); retrying');
        await new Promise<void>((resolve) => {
          wake = resolve;
          retryTimer = setTimeout(() => {
            retryTimer = undefined;
            resolve();
          }, tuning.retryAfterFailureMs);
        });
        wake = undefined;
      }
    }
  }

  return {
    start() {
      if (startedAt !== 0) return;
      startedAt = clock.now().getTime();
      store.prune(startedAt);
      // The very first start answers nothing older than itself; later starts resume from the saved cursor.
      if (store.cursor() === undefined) store.setCursor(startedAt);
      track(resolveIdentity());
    },
    async stop() {
      stopped = true;
      state = 'stopped';
      if (retryTimer) clearTimeout(retryTimer);
      wake?.();
      socket?.close();
      // close() only closes an OPEN socket: one still connecting would open later and start pinging.
      if (currentConnection && currentConnection.readyState !== WS.CLOSED) {
        currentConnection.onopen = null;
        currentConnection.onclose = null;
        currentConnection.onmessage = null;
        currentConnection.terminate();
      }
      // Answers in progress finish (their claims must be completed or released), within limits.
      await Promise.race([this.idle(), new Promise((resolve) => setTimeout(resolve, 8000).unref())]);
    },
    status: () => ({ state, ...(bot ? { bot } : {}), ...(lastError ? { lastError } : {}) }),
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

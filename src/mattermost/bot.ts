import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../app.js';
import type { Config } from '../config.js';
import { systemClock, type Clock } from '../core/clock.js';
import { NotifierUnavailableError, type Notifier } from '../core/notifier.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../observability/metrics.js';
import { createAnsweredPostStore } from './answered-posts.js';
import { createHandledInputStore } from './handled-inputs.js';
import { createMattermostClient, DEFAULT_RETRY, IN_REQUEST_RETRY, type MattermostClient, type RetryPolicy } from './client.js';
import { ACTION_ROUTE, createHttpApp, DIALOG_ROUTE, type ReadinessReport } from './http/server.js';
import { createButtonFactory, createMattermostNotifier, createPoster } from './poster.js';
import { createResponder, DEFAULT_BOT_USERNAME } from './respond.js';
import { createSigner, resolveActionSecret } from './signing.js';
import { createMentionListener, type ListenerTuning, type MentionListener } from './websocket/mention-listener.js';

/**
 * Everything `certif-bot serve` runs, in one function that tests call too (on port 0, with a temp DATA_DIR): the app,
 * the HTTP endpoints (always), and, when MM_URL is set, the REST notifier and the WebSocket listener.
 */

export interface StartBotOptions {
  config: Readonly<Config>;
  log: Logger;
  clock?: Clock;
  databaseFile?: string;
  /** Defaults to config.port; tests pass 0. */
  port?: number;
  host?: string;
  /**
   * The URL Mattermost uses to reach the bot (buttons, dialogs). Defaults to PUBLIC_URL; tests, which listen on a
   * port chosen by the system, derive it from the port.
   */
  publicUrl?: (port: number) => string | undefined;
  /** Called once features are registered, before serving. */
  configure?: (app: App) => void;
  /** Background calls (outbox, reminders, mention answers). */
  retry?: Partial<RetryPolicy>;
  /** Calls made while Mattermost waits for our answer to a command, a click or a dialog (IN_REQUEST_RETRY). */
  requestRetry?: Partial<RetryPolicy>;
  listener?: Partial<ListenerTuning>;
  /** Serves GET /metrics and counts HTTP requests and Mattermost API errors. */
  metrics?: Metrics;
  /**
   * What delivers messages the bot sends on its own (DMs, tickets, reminders) when Mattermost is not configured: the
   * console in `npm start`'s terminal. Without it, nothing can be sent in local mode.
   */
  localNotifier?: Notifier;
}

export interface RunningBot {
  app: App;
  server: Server;
  port: number;
  /** How to reach the bot from this machine (`http://127.0.0.1:3000`). */
  url: string;
  /** The address the server listens on, as the system reports it (`0.0.0.0:3000`, `[::]:3000`). */
  listening: string;
  mode: 'mattermost' | 'local';
  /** What does not run, in French, for logs and the start-up banner. */
  disabled: readonly string[];
  listener?: MentionListener;
  client?: MattermostClient;
  close(): Promise<void>;
}

const READINESS_CACHE_MS = 5000;

function unavailableNotifier(): Notifier {
  const refuse = (what: string) => () => Promise.reject(new NotifierUnavailableError(what));
  return {
    canPost: false,
    sendDirect: refuse('send a direct message'),
    postInChannel: refuse('post in a channel'),
    updatePost: refuse('update a post'),
    resolveUser: refuse('look up a user'),
    resolveChannel: refuse('look up a channel'),
  };
}

export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log;
  const mm = config.mattermost;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const requestRetry: RetryPolicy = { ...IN_REQUEST_RETRY, ...options.requestRetry };

  const signer = createSigner(resolveActionSecret({ actionSecret: config.actionSecret, dataDir: config.dataDir, log }), clock);
  let publicUrl: string | undefined = mm.publicUrl;
  const actionUrl = () => (publicUrl ? `${publicUrl}${ACTION_ROUTE}` : undefined);
  const dialogUrl = () => (publicUrl ? `${publicUrl}${DIALOG_ROUTE}` : undefined);
  const buttons = createButtonFactory({ signer, clock, actionUrl });

  const client =
    mm.url && mm.botToken
      ? createMattermostClient({ url: mm.url, token: mm.botToken, log, retry, requestRetry, onError: (kind) => options.metrics?.countMattermostError(kind) })
      : undefined;
  const poster = client ? createPoster({ client, buttons }) : undefined;
  // The bot's account is read once the WebSocket listener connects; until then (or without it) both are unknown.
  let listener: MentionListener | undefined;
  const botUserId = () => listener?.status().bot?.id;
  const botUsername = () => listener?.status().bot?.username;
  const notifier =
    client && poster
      ? createMattermostNotifier({ client, poster, botUsername: () => botUsername() || DEFAULT_BOT_USERNAME })
      : (options.localNotifier ?? unavailableNotifier());

  const app = createApp({ config, log, notifier, clock, databaseFile: options.databaseFile, metrics: options.metrics });
  let server: Server | undefined;
  try {
    options.configure?.(app);
    const responder = createResponder({ log, clock, signer, buttons, poster, client, dialogUrl, requestRetry, botUsername });

    if (client && mm.botToken) {
      listener = createMentionListener({
        client,
        token: mm.botToken,
        log,
        clock,
        store: createAnsweredPostStore(app.db),
        answerChannels: mm.answerChannels,
        tuning: options.listener,
        answer: async (input, delivery) => {
          const started = Date.now();
          const reply = await app.router.dispatch(input);
          await responder.forPost(input, reply, { lookBack: delivery?.mayBeAnswered ?? false });
          log.debug(
            {
              input: input.conversation.kind === 'direct' ? 'direct_message' : 'mention',
              userId: input.user.id,
              channelId: input.conversation.channelId,
              postId: input.postId,
              reply: reply.type,
              ms: Date.now() - started,
            },
            'mattermost post answered',
          );
        },
      });
    }

    const disabled: string[] = [];
    if (!client && options.localNotifier) {
      disabled.push('mentions @certif-bot et messages privés au bot dans Mattermost (MM_URL et MM_BOT_TOKEN absents) ; ce que le bot enverrait (messages privés, tickets, rappels) s’affiche dans cette console');
    } else if (!client) {
      disabled.push('mentions @certif-bot, messages privés au bot, rappels et messages envoyés par le bot (MM_URL et MM_BOT_TOKEN absents)');
    }
    if (mm.commandTokens.length === 0) disabled.push('commandes slash (MM_COMMAND_TOKENS absent : toute commande reçue est refusée)');

    let lastPing: { at: number; ok: boolean; detail?: string } | undefined;
    const pingMattermost = async () => {
      if (!client) return undefined;
      const now = Date.now();
      if (!lastPing || now - lastPing.at > READINESS_CACHE_MS) {
        try {
          await client.ping();
          lastPing = { at: now, ok: true };
        } catch (error) {
          lastPing = { at: now, ok: false, detail: `Mattermost injoignable : ${(error as Error).message}` };
        }
      }
      return lastPing;
    };

    const readiness = async (): Promise<ReadinessReport> => {
      const checks: Record<string, { ok: boolean; detail?: string }> = { ...app.readiness() };
      const ping = await pingMattermost();
      if (ping) checks.mattermost = { ok: ping.ok, ...(ping.detail ? { detail: ping.detail } : {}) };
      const ready = Object.values(checks).every((check) => check.ok);
      const socket = listener?.status();
      return {
        ready,
        body: {
          status: ready ? 'ready' : 'not_ready',
          mode: client ? 'mattermost' : 'local',
          checks,
          ...(socket ? { websocket: socket.state, ...(socket.lastError ? { websocketError: socket.lastError } : {}) } : {}),
          ...(disabled.length > 0 ? { disabled } : {}),
          ...(publicUrl ? {} : { warnings: ['PUBLIC_URL absent : les choix des réponses s’affichent en texte, avec la commande à taper, et les formulaires ne peuvent pas s’ouvrir'] }),
        },
      };
    };

    const http = createHttpApp({
      app,
      log,
      signer,
      responder,
      commandTokens: mm.commandTokens,
      botUserId,
      usernameOf: async (userId) => (client ? client.getUser(userId, { inRequest: true }).then((user) => user.username, () => '') : ''),
      readiness,
      metrics: options.metrics,
      handled: createHandledInputStore(app.db),
    });

    const listening = http.listen(options.port ?? config.port, options.host ?? '0.0.0.0');
    server = listening;
    await new Promise<void>((resolve, reject) => {
      listening.once('listening', resolve);
      listening.once('error', reject);
    });
    // Mattermost waits up to 30 s for an integration; a slow client must not hold a socket longer.
    listening.requestTimeout = 35_000;
    listening.headersTimeout = 20_000;
    const address = listening.address() as AddressInfo;
    const port = address.port;
    const url = `http://127.0.0.1:${port}`;
    if (options.publicUrl) publicUrl = options.publicUrl(port)?.replace(/\/+$/, '');
    // Local mode: whoever calls the bot (curl, a Mattermost on this machine) reaches it where it listens, so buttons
    // and forms work out of the box. With Mattermost, only the admin knows the address it uses (PUBLIC_URL).
    if (!publicUrl && !client) publicUrl = url;
    if (!publicUrl && (client || mm.commandTokens.length > 0)) {
      log.warn('PUBLIC_URL is not set: buttons are listed as typed commands and dialogs cannot open');
    }

    app.start();
    listener?.start();
    log.info(
      { port, mode: client ? 'mattermost' : 'local', publicUrl, commandTokenCount: mm.commandTokens.length, disabled },
      client ? 'certif-bot listening (Mattermost)' : 'certif-bot listening (local mode)',
    );

    let closing: Promise<void> | undefined;
    return {
      app,
      server: listening,
      port,
      url,
      listening: address.family === 'IPv6' ? `[${address.address}]:${port}` : `${address.address}:${port}`,
      mode: client ? 'mattermost' : 'local',
      disabled,
      listener,
      client,
      close() {
        closing ??= (async () => {
          const closed = new Promise<void>((resolve) => listening.close(() => resolve()));
          listening.closeIdleConnections();
          // A request still running after 10 s (Mattermost gives up at 30 s anyway) is cut rather than awaited.
          const force = setTimeout(() => listening.closeAllConnections(), 10_000);
          force.unref();
          await listener?.stop();
          await closed;
          clearTimeout(force);
          await app.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    server?.close();
    await listener?.stop();
    await app.close();
    throw error;
  }
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import type { Channel } from '@mattermost/types/channels';
import type { Options } from '@mattermost/types/client4';
import type { Command } from '@mattermost/types/integrations';
import type { Post } from '@mattermost/types/posts';
import type { Team } from '@mattermost/types/teams';
import type { UserProfile } from '@mattermost/types/users';
import type { AttachedFile } from '../core/reply.js';
import type { Logger } from '../logger.js';
import { Client4 } from './mattermost-lib.js';
import { postListSchema, postSchema, type MattermostPost } from './payloads.js';
import type { MattermostDialog } from './render.js';

/**
 * The bot's REST client: `@mattermost/client`'s Client4 with one change, its fetch step, so that the HTTP status
 * survives a non-JSON error body (a 429 `text/plain "limit exceeded"`, a proxy's 502 page: Client4 reads the status
 * from the JSON body and loses it, protocol doc §5), plus retries with backoff on network errors, 5xx and 429.
 */

export class MattermostApiError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly serverErrorId?: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown; retryable?: boolean },
  ) {
    super(message, options);
    this.name = 'MattermostApiError';
    this.retryableOverride = options?.retryable;
  }

  private readonly retryableOverride: boolean | undefined;

  /**
   * Network failures, timeouts, 5xx and 429 may succeed later; other 4xx will not. A caller that knows better (a
   * non-idempotent request that may have been processed) sets it explicitly.
   */
  get retryable(): boolean {
    return this.retryableOverride ?? (this.status === undefined || this.status === 429 || this.status >= 500);
  }
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-request timeout. */
  timeoutMs: number;
  /**
   * Overall budget from the first attempt: no retry starts that could not finish within it, and the last attempt's
   * timeout is cut to what is left. Undefined: attempts × timeout plus the waits.
   */
  deadlineMs?: number;
}

/** Background work (outbox, reminders, mention answers): Mattermost may be down for a while, nobody is waiting. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 10_000, timeoutMs: 15_000 };

/**
 * Calls made while Mattermost waits for our answer to a slash command, a click or a dialog (it gives up after 30 s,
 * protocol doc §1/§3/§4): one quick retry at most, short timeouts, everything within 20 s.
 */
export const IN_REQUEST_RETRY: RetryPolicy = { attempts: 2, baseDelayMs: 200, maxDelayMs: 1000, timeoutMs: 5000, deadlineMs: 20_000 };

/** Which policy one call follows. */
export interface CallOptions {
  /** True while Mattermost is waiting for our HTTP answer: the in-request policy instead of the background one. */
  inRequest?: boolean;
  /** Absolute time (ms since the epoch) by which the whole call must be over: no retry starts after it. */
  deadline?: number;
}

/** No retry is started with less time than this left before the deadline. */
const MIN_USEFUL_ATTEMPT_MS = 1000;

/** The timeout of the attempt in progress, set by `withRetry` for the fetch step of the client below. */
const attemptScope = new AsyncLocalStorage<{ timeoutMs: number }>();

/** Media type without parameters: the server sends exactly `application/json`, a proxy may add a charset. */
function mediaType(header: string | null): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function parseRetryAfter(headers: Headers): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  const reset = Number(headers.get('x-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? reset * 1000 : undefined;
}

class BotClient4 extends Client4 {
  constructor(
    private readonly timeoutMs: number,
    private readonly onError?: (error: MattermostApiError) => void,
  ) {
    super();
  }

  protected override doFetch = async <T>(url: string, options: Options): Promise<T> => {
    try {
      return await this.fetchOnce<T>(url, options);
    } catch (error) {
      if (error instanceof MattermostApiError) this.onError?.(error);
      throw error;
    }
  };

  // Same parsing as Client4's own fetch step, but errors keep the HTTP status and Retry-After.
  private async fetchOnce<T>(url: string, options: Options): Promise<T> {
    let response: Response;
    try {
      const timeoutMs = attemptScope.getStore()?.timeoutMs ?? this.timeoutMs;
      response = await fetch(url, { ...this.getOptions(options), signal: options.signal ?? AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new MattermostApiError(`network error on ${describeUrl(url)}: ${(error as Error).message}`, undefined, undefined, undefined, {
        cause: error,
      });
    }
    let data: unknown;
    try {
      data = mediaType(response.headers.get('content-type')) === 'application/json' ? await response.json() : await response.text();
    } catch (error) {
      throw new MattermostApiError(`invalid response body from ${describeUrl(url)}`, response.ok ? undefined : response.status, undefined, undefined, {
        cause: error,
      });
    }
    if (response.ok) return data as T;
    const body = (data && typeof data === 'object' ? data : {}) as { id?: string; message?: string };
    const text = body.message ?? (typeof data === 'string' ? data.slice(0, 200) : '');
    throw new MattermostApiError(
      `${response.status} on ${options.method?.toUpperCase() ?? 'GET'} ${describeUrl(url)}: ${text}`,
      response.status,
      body.id,
      parseRetryAfter(response.headers),
    );
  }

  openInteractiveDialog(request: { trigger_id: string; url: string; dialog: MattermostDialog }): Promise<unknown> {
    return this.doFetch(`${this.getBaseRoute()}/actions/dialogs/open`, { method: 'post', body: JSON.stringify(request) });
  }

  pingServer(): Promise<unknown> {
    return this.doFetch(`${this.getBaseRoute()}/system/ping`, { method: 'get' });
  }
}

function describeUrl(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `operation` again on retryable failures: exponential backoff with jitter, or the server's Retry-After. The
 * operation receives the timeout its attempt must keep to (the policy's, cut to the deadline when there is one).
 */
export async function withRetry<T>(
  operation: (timeoutMs: number) => Promise<T>,
  policy: RetryPolicy,
  onRetry?: (error: MattermostApiError, attempt: number, delayMs: number) => void,
  deadline?: number,
): Promise<T> {
  const end = Math.min(deadline ?? Number.POSITIVE_INFINITY, policy.deadlineMs !== undefined ? Date.now() + policy.deadlineMs : Number.POSITIVE_INFINITY);
  for (let attempt = 1; ; attempt += 1) {
    // The first attempt always runs (with at least MIN_USEFUL_ATTEMPT_MS); a retry only when it can finish in time.
    const timeoutMs = Math.min(policy.timeoutMs, Math.max(end - Date.now(), MIN_USEFUL_ATTEMPT_MS));
    try {
      return await operation(timeoutMs);
    } catch (error) {
      if (!(error instanceof MattermostApiError) || !error.retryable || attempt >= policy.attempts) throw error;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delay =
        error.retryAfterMs !== undefined ? Math.min(error.retryAfterMs, policy.maxDelayMs * 3) : backoff / 2 + Math.random() * (backoff / 2);
      if (Date.now() + delay + MIN_USEFUL_ATTEMPT_MS > end) throw error;
      onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}

export interface NewPost {
  channelId: string;
  message: string;
  rootId?: string;
  props?: Record<string, unknown>;
  fileIds?: string[];
  /**
   * Same value for every attempt: the server remembers it for 30 s and returns the first post instead of creating a
   * second one (`deduplicateCreatePost`), so a retry after a lost response does not post twice.
   */
  pendingPostId?: string;
}

export interface MattermostClient {
  readonly url: string;
  /** The bot's own user (cached after the first success). */
  me(): Promise<UserProfile>;
  createPost(post: NewPost, call?: CallOptions): Promise<MattermostPost>;
  patchPost(postId: string, patch: { message?: string; props?: Record<string, unknown> }): Promise<MattermostPost>;
  getPost(postId: string): Promise<MattermostPost>;
  /** The direct channel between the bot and `userId` (created when missing; cached). */
  directChannelWith(userId: string, call?: CallOptions): Promise<Channel>;
  uploadFile(channelId: string, file: AttachedFile, call?: CallOptions): Promise<string>;
  /** Always an in-request call (the trigger id lives 30 s): never retried, the in-request timeout. */
  openDialog(request: { trigger_id: string; url: string; dialog: MattermostDialog }): Promise<void>;
  postsSince(channelId: string, since: number, call?: CallOptions): Promise<MattermostPost[]>;
  /** Every channel the bot is a member of, in every team, DMs included. */
  myChannels(): Promise<Channel[]>;
  getUser(userId: string, call?: CallOptions): Promise<UserProfile>;
  getTeamByName(name: string): Promise<Team>;
  /** `GET /users/username/{username}`; undefined on 404. */
  getUserByUsername(username: string): Promise<UserProfile | undefined>;
  /**
   * A channel by name: `team:channel` via `GET /teams/name/{team}/channels/name/{channel}`, a bare name among the
   * bot's own channels; undefined when not found.
   */
  findChannel(name: string): Promise<Channel | undefined>;
  listCustomCommands(teamId: string): Promise<Command[]>;
  addCommand(command: Partial<Command>): Promise<Command>;
  editCommand(command: Command): Promise<Command>;
  ping(): Promise<void>;
  /** `ws(s)://…/api/v4/websocket`. */
  websocketUrl(): string;
}

export type MattermostErrorKind = 'network' | 'rate_limited' | 'server' | 'client';

export function errorKind(error: MattermostApiError): MattermostErrorKind {
  if (error.status === undefined) return 'network';
  if (error.status === 429) return 'rate_limited';
  return error.status >= 500 ? 'server' : 'client';
}

export function createMattermostClient(options: {
  url: string;
  token: string;
  log: Logger;
  retry?: Partial<RetryPolicy>;
  /** The policy of calls made while Mattermost waits for our answer (`CallOptions.inRequest`). */
  requestRetry?: Partial<RetryPolicy>;
  /** Told about every failed call, retried or not (metrics). */
  onError?: (kind: MattermostErrorKind) => void;
}): MattermostClient {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const requestPolicy: RetryPolicy = { ...IN_REQUEST_RETRY, ...options.requestRetry };
  const client = new BotClient4(policy.timeoutMs, (error) => options.onError?.(errorKind(error)));
  client.setUrl(options.url);
  client.setToken(options.token);
  client.setUserAgent('certif-bot');
  // Client4 sends `credentials: 'include'` for browsers; harmless for Node's fetch but we have no cookies to send.
  client.setIncludeCookies(false);
  const log = options.log.child({ component: 'mattermost-rest' });

  const retry = <T>(what: string, operation: () => Promise<T>, call?: CallOptions) =>
    withRetry(
      (timeoutMs) => attemptScope.run({ timeoutMs }, operation),
      call?.inRequest ? requestPolicy : policy,
      (error, attempt, delayMs) =>
        log.warn({ what, attempt, status: error.status, delayMs: Math.round(delayMs), inRequest: call?.inRequest === true }, 'Mattermost request failed, retrying'),
      call?.deadline,
    );

  let me: Promise<UserProfile> | undefined;
  const directChannels = new Map<string, Promise<Channel>>();
  const users = new Map<string, UserProfile>();

  const self: MattermostClient = {
    url: options.url,
    me() {
      me ??= retry('get me', () => client.getMe()).catch((error: unknown) => {
        me = undefined;
        throw error;
      });
      return me;
    },
    async createPost(post, call) {
      const pendingPostId = post.pendingPostId ?? randomUUID();
      const created = await retry(
        'create post',
        () =>
          client.createPost({
            channel_id: post.channelId,
            message: post.message,
            ...(post.rootId ? { root_id: post.rootId } : {}),
            ...(post.props ? { props: post.props } : {}),
            ...(post.fileIds && post.fileIds.length > 0 ? { file_ids: post.fileIds } : {}),
            pending_post_id: pendingPostId,
          } as Partial<Post> as Post),
        call,
      );
      return postSchema.parse(created);
    },
    async patchPost(postId, patch) {
      return postSchema.parse(await retry('patch post', () => client.patchPost({ id: postId, ...patch } as Partial<Post> & { id: string })));
    },
    async getPost(postId) {
      return postSchema.parse(await retry('get post', () => client.getPost(postId)));
    },
    directChannelWith(userId, call) {
      let channel = directChannels.get(userId);
      if (!channel) {
        channel = self
          .me()
          .then((bot) => retry('create direct channel', () => client.createDirectChannel([bot.id, userId]), call))
          .catch((error: unknown) => {
            directChannels.delete(userId);
            throw error;
          });
        directChannels.set(userId, channel);
      }
      return channel;
    },
    async uploadFile(channelId, file, call) {
      const result = await retry(
        'upload file',
        () => {
          const form = new FormData();
          form.append('channel_id', channelId);
          const bytes = typeof file.content === 'string' ? new TextEncoder().encode(file.content) : Uint8Array.from(file.content);
          form.append('files', new Blob([bytes], { type: file.mimeType }), file.name);
          return client.uploadFile(form);
        },
        call,
      );
      const info = result.file_infos[0];
      if (!info) throw new MattermostApiError('upload returned no file', undefined);
      return info.id;
    },
    async openDialog(request) {
      // Not retried: the trigger id is valid for 30 s from the click, and a late dialog is worse than none.
      await attemptScope.run({ timeoutMs: requestPolicy.timeoutMs }, () => client.openInteractiveDialog(request));
    },
    async postsSince(channelId, since, call) {
      const list = postListSchema.parse(await retry('get posts since', () => client.getPostsSince(channelId, since, false), call));
      const posts: MattermostPost[] = [];
      for (const postId of list.order) {
        const parsed = postSchema.safeParse(list.posts[postId]);
        if (parsed.success) posts.push(parsed.data);
      }
      return posts.sort((a, b) => a.create_at - b.create_at);
    },
    async myChannels() {
      const teams = await retry('get my teams', () => client.getMyTeams());
      const byId = new Map<string, Channel>();
      for (const team of teams) {
        // DMs and group messages are listed with every team; the map keeps one copy.
        for (const channel of await retry('get my channels', () => client.getMyChannels(team.id))) byId.set(channel.id, channel);
      }
      return [...byId.values()];
    },
    async getUser(userId, call) {
      const cached = users.get(userId);
      if (cached) return cached;
      const user = await retry('get user', () => client.getUser(userId), call);
      if (users.size > 5000) users.clear();
      users.set(userId, user);
      return user;
    },
    getTeamByName: (name) => retry('get team', () => client.getTeamByName(name)),
    async getUserByUsername(username) {
      try {
        return await retry('get user by username', () => client.getUserByUsername(username));
      } catch (error) {
        if (error instanceof MattermostApiError && error.status === 404) return undefined;
        throw error;
      }
    },
    async findChannel(name) {
      const [team, channelName] = name.includes(':') ? (name.split(':', 2) as [string, string]) : [undefined, name];
      if (team) {
        try {
          return await retry('get channel by name', () => client.getChannelByNameAndTeamName(team, channelName));
        } catch (error) {
          if (error instanceof MattermostApiError && error.status === 404) return undefined;
          throw error;
        }
      }
      const channels = await self.myChannels();
      return channels.find((channel) => channel.name === channelName && channel.type !== 'D' && channel.type !== 'G');
    },
    listCustomCommands: (teamId) => retry('list commands', () => client.getCustomTeamCommands(teamId)),
    addCommand: (command) => retry('create command', () => client.addCommand(command as Command)),
    editCommand: (command) => retry('update command', () => client.editCommand(command)),
    async ping() {
      await client.pingServer();
    },
    websocketUrl() {
      return client.getWebSocketUrl().replace(/^http/, 'ws');
    },
  };
  return self;
}

/** A stable pending_post_id for one part of one logical message. */
export function pendingPostIdFor(key: string, part: number): string {
  return `certif-${createHash('sha256').update(`${key}#${part}`).digest('hex').slice(0, 32)}`;
}

/** Connection errors raised before a request was sent: retrying them cannot post twice. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

/**
 * Posts a CommandResponse to a slash command's response_url (valid 30 minutes, 5 uses; no authentication: the URL
 * is the credential). The reply is then shown exactly like a direct slash response: ephemeral to the invoking user.
 *
 * The POST is not idempotent (each use posts, and uses one of the 5): it is retried only when the server surely did
 * not process it (connection refused, 429, 503), never after a timeout, a reset or another 5xx. Always called while
 * Mattermost waits for our answer, hence the in-request policy by default.
 */
export async function postToResponseUrl(url: string, body: unknown, policy: RetryPolicy = IN_REQUEST_RETRY, deadline?: number): Promise<void> {
  await withRetry(
    async (timeoutMs) => {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const code = errorCode(error);
        throw new MattermostApiError(`network error on response_url: ${(error as Error).message}${code ? ` (${code})` : ''}`, undefined, undefined, undefined, {
          cause: error,
          retryable: code !== undefined && NOT_SENT_CODES.has(code),
        });
      }
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) {
        throw new MattermostApiError(`${response.status} on response_url`, response.status, undefined, parseRetryAfter(response.headers), {
          retryable: response.status === 429 || response.status === 503,
        });
      }
    },
    policy,
    undefined,
    deadline,
  );
}

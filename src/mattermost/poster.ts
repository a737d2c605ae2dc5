import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { NotInChannelError, type Notifier, type OutgoingMessage, type PostRef } from '../core/notifier.js';
import type { Button } from '../core/reply.js';
import { MattermostApiError, pendingPostIdFor, type CallOptions, type MattermostClient } from './client.js';
import { renderPostParts, renderUpdate, type ButtonTarget } from './render.js';
import { EPHEMERAL_BUTTON_TTL_MS, newOnceId, POST_BUTTON_TTL_MS, type Signer } from './signing.js';

/** Who may click the buttons of one message, and where they live (see signing.ts). */
export interface ButtonScope {
  /** The user the message is for; undefined lets anyone in `channelId` click. */
  userId?: string;
  channelId: string;
  rootId?: string;
  origin: 'ephemeral' | 'post';
  responseUrl?: string;
  /** False for posts made on the bot's own initiative: `/certif <n>` does not pick their buttons (render.ts). */
  pickable?: boolean;
}

export interface ButtonFactory {
  target(scope: ButtonScope): ButtonTarget;
}

export function createButtonFactory(deps: { signer: Signer; clock: Clock; actionUrl: () => string | undefined }): ButtonFactory {
  return {
    target(scope) {
      return {
        actionUrl: deps.actionUrl(),
        pickable: scope.pickable ?? true,
        sign(button: Button) {
          const ttl = scope.origin === 'ephemeral' ? EPHEMERAL_BUTTON_TTL_MS : POST_BUTTON_TTL_MS;
          return deps.signer.signAction({
            action: button.action,
            payload: button.payload ?? {},
            userId: scope.userId,
            channelId: scope.channelId,
            rootId: scope.rootId,
            origin: scope.origin,
            responseUrl: scope.origin === 'ephemeral' ? scope.responseUrl : undefined,
            expiresAt: deps.clock.now().getTime() + ttl,
            once: newOnceId(),
          });
        },
      };
    },
  };
}

export interface PostOptions {
  rootId?: string;
  /** The user the message is for (the only one who may click its buttons); undefined: anyone in the channel. */
  userId?: string;
  /** The same for every attempt at the same message: its parts get stable pending_post_ids (30 s dedup by the server). */
  idempotencyKey?: string;
  /**
   * Look for the parts of this keyed message among the channel's posts of the last 2 hours, and skip those already
   * there (the server forgets a pending_post_id after 30 s). One extra GET per message: only for a *retried*
   * delivery (outbox, reminder re-sent after a crash, mention answered again after a failure), never for a first
   * answer while Mattermost waits. Ignored without an idempotency key.
   */
  lookBack?: boolean;
  /** In-request calls use the short retry policy (see client.ts). */
  call?: CallOptions;
  /** False for a post made on the bot's own initiative (Notifier): see ButtonScope. */
  pickable?: boolean;
}

/** Posts as the bot over REST: text split to the size limit, buttons signed, file uploaded first. */
export interface Poster {
  post(channelId: string, message: OutgoingMessage, options?: PostOptions): Promise<PostRef>;
  /** Posts in the bot's DM with `userId` (opened if needed), whose buttons only that user may click. */
  postDirect(userId: string, message: OutgoingMessage, options?: Omit<PostOptions, 'userId' | 'rootId'>): Promise<PostRef>;
  update(postId: string, message: OutgoingMessage): Promise<void>;
}

export function createPoster(deps: { client: MattermostClient; buttons: ButtonFactory }): Poster {
  const { client, buttons } = deps;
  const poster: Poster = {
    async post(channelId, message, options = {}) {
      const target = buttons.target({ userId: options.userId, channelId, rootId: options.rootId, origin: 'post', pickable: options.pickable });
      const parts = renderPostParts(message, target);
      const key = options.idempotencyKey ?? randomUUID();
      // Mattermost forgets a pending_post_id after 30 s. A keyed message retried later (a reminder re-sent after a
      // crash mid-send, an outbox row after a long outage) may already be there: its parts carry their key in props.
      const posted =
        options.idempotencyKey && options.lookBack ? await postedKeys(client, channelId, options.call) : new Map<string, PostRef>();
      // A message whose first part is already there is not uploaded again.
      const firstPosted = posted.has(pendingPostIdFor(key, 0));
      const fileIds = message.file && !firstPosted ? [await client.uploadFile(channelId, message.file, options.call)] : [];
      let last: PostRef | undefined;
      for (const [index, part] of parts.entries()) {
        const pendingPostId = pendingPostIdFor(key, index);
        const existing = posted.get(pendingPostId);
        if (existing) {
          last = existing;
          continue;
        }
        const created = await client.createPost({
          channelId,
          message: part.message,
          rootId: options.rootId,
          props: options.idempotencyKey ? { ...part.props, [POST_KEY_PROP]: pendingPostId } : part.props,
          fileIds: index === 0 ? fileIds : undefined,
          pendingPostId,
        }, options.call);
        last = { postId: created.id, channelId: created.channel_id };
      }
      return last as PostRef;
    },
    async postDirect(userId, message, options = {}) {
      const channel = await client.directChannelWith(userId, options.call);
      return poster.post(channel.id, message, { ...options, userId });
    },
    async update(postId, message) {
      // Buttons are bound to a channel: the post's own, read back because the Notifier port passes only its id.
      const post = await client.getPost(postId);
      // Only the Notifier updates posts: they were made on the bot's own initiative.
      const target = buttons.target({ channelId: post.channel_id, rootId: post.root_id || post.id, origin: 'post', pickable: false });
      const update = renderUpdate(message, target);
      await client.patchPost(postId, { message: update?.message ?? message.text, props: { ...post.props, ...update?.props } });
    },
  };
  return poster;
}

/** Post prop holding a keyed part's pending_post_id, so that a late retry finds the part already posted. */
export const POST_KEY_PROP = 'certif_key';
/** How far back a keyed message is looked for (beyond the outbox's longest backoff and a reminder's stale claim). */
export const KEYED_POST_LOOKBACK_MS = 2 * 60 * 60 * 1000;

async function postedKeys(client: MattermostClient, channelId: string, call?: CallOptions): Promise<Map<string, PostRef>> {
  const found = new Map<string, PostRef>();
  for (const post of await client.postsSince(channelId, Date.now() - KEYED_POST_LOOKBACK_MS, call)) {
    const key = post.props[POST_KEY_PROP];
    if (typeof key === 'string') found.set(key, { postId: post.id, channelId: post.channel_id });
  }
  return found;
}

/**
 * The Notifier port over REST. Buttons of a DM are for its recipient; buttons of a channel post can be clicked by
 * anyone in that channel (a reminder or a ticket card has no single addressee).
 *
 * Features pass an idempotency key for deliveries they may retry later (outbox rows, reminders): a keyed message
 * is looked for in the channel's recent history before posting (`lookBack`), as the port has no option to say
 * whether this attempt is a retry. A 403 on a channel post means the bot is not a member: NotInChannelError.
 */
export function createMattermostNotifier(deps: { client: MattermostClient; poster: Poster; botUsername: () => string }): Notifier {
  return {
    canPost: true,
    sendDirect(userId, message, options) {
      return deps.poster.postDirect(userId, message, { idempotencyKey: options?.idempotencyKey, lookBack: options?.idempotencyKey !== undefined, pickable: false });
    },
    async postInChannel(channelId, message, options) {
      try {
        return await deps.poster.post(channelId, message, {
          rootId: options?.rootId,
          idempotencyKey: options?.idempotencyKey,
          lookBack: options?.idempotencyKey !== undefined,
          pickable: false,
        });
      } catch (error) {
        if (error instanceof MattermostApiError && error.status === 403) throw new NotInChannelError(deps.botUsername(), { cause: error });
        throw error;
      }
    },
    updatePost(postId, message) {
      return deps.poster.update(postId, message);
    },
    async resolveUser(username) {
      const user = await deps.client.getUserByUsername(username.replace(/^@/, ''));
      return user ? { id: user.id, username: user.username } : undefined;
    },
    async resolveChannel(name) {
      const channel = await deps.client.findChannel(name.replace(/^~/, ''));
      return channel ? { channelId: channel.id } : undefined;
    },
  };
}

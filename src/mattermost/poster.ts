import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { Notifier, OutgoingMessage, PostRef } from '../core/notifier.js';
import type { Button } from '../core/reply.js';
import { pendingPostIdFor, type MattermostClient } from './client.js';
import { renderPostParts, renderUpdate, type ButtonTarget } from './render.js';
import { ANYONE_IN_CHANNEL, EPHEMERAL_BUTTON_TTL_MS, POST_BUTTON_TTL_MS, type Signer } from './signing.js';

/** Who may click the buttons of one message, and where they live (see signing.ts). */
export interface ButtonScope {
  /** The user the message is for; undefined lets anyone in `channelId` click. */
  userId?: string;
  channelId: string;
  rootId?: string;
  origin: 'ephemeral' | 'post';
  responseUrl?: string;
}

export interface ButtonFactory {
  target(scope: ButtonScope): ButtonTarget;
}

export function createButtonFactory(deps: { signer: Signer; clock: Clock; actionUrl: () => string | undefined }): ButtonFactory {
  return {
    target(scope) {
      return {
        actionUrl: deps.actionUrl(),
        sign(button: Button) {
          const { [ANYONE_IN_CHANNEL]: anyone, ...payload } = button.payload ?? {};
          const ttl = scope.origin === 'ephemeral' ? EPHEMERAL_BUTTON_TTL_MS : POST_BUTTON_TTL_MS;
          return deps.signer.signAction({
            action: button.action,
            payload,
            userId: anyone === true ? undefined : scope.userId,
            channelId: scope.channelId,
            rootId: scope.rootId,
            origin: scope.origin,
            responseUrl: scope.origin === 'ephemeral' ? scope.responseUrl : undefined,
            expiresAt: deps.clock.now().getTime() + ttl,
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
  idempotencyKey?: string;
}

/** Posts as the bot over REST: text split to the size limit, buttons signed, file uploaded first. */
export interface Poster {
  post(channelId: string, message: OutgoingMessage, options?: PostOptions): Promise<PostRef>;
  update(postId: string, message: OutgoingMessage): Promise<void>;
}

export function createPoster(deps: { client: MattermostClient; buttons: ButtonFactory }): Poster {
  const { client, buttons } = deps;
  return {
    async post(channelId, message, options = {}) {
      const target = buttons.target({ userId: options.userId, channelId, rootId: options.rootId, origin: 'post' });
      const parts = renderPostParts(message, target);
      const fileIds = message.file ? [await client.uploadFile(channelId, message.file)] : [];
      const key = options.idempotencyKey ?? randomUUID();
      // Mattermost forgets a pending_post_id after 30 s. A keyed message retried later (a reminder re-sent after a
      // crash mid-send, an outbox row after a long outage) may already be there: its parts carry their key in props.
      const posted = options.idempotencyKey ? await postedKeys(client, channelId) : new Map<string, PostRef>();
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
        });
        last = { postId: created.id, channelId: created.channel_id };
      }
      return last as PostRef;
    },
    async update(postId, message) {
      // Buttons are bound to a channel: the post's own, read back because the Notifier port passes only its id.
      const post = await client.getPost(postId);
      const target = buttons.target({ channelId: post.channel_id, rootId: post.root_id || post.id, origin: 'post' });
      const update = renderUpdate(message, target);
      await client.patchPost(postId, { message: update?.message ?? message.text, props: { ...post.props, ...update?.props } });
    },
  };
}

/** Post prop holding a keyed part's pending_post_id, so that a late retry finds the part already posted. */
export const POST_KEY_PROP = 'certif_key';
/** How far back a keyed message is looked for (beyond the outbox's longest backoff and a reminder's stale claim). */
export const KEYED_POST_LOOKBACK_MS = 2 * 60 * 60 * 1000;

async function postedKeys(client: MattermostClient, channelId: string): Promise<Map<string, PostRef>> {
  const found = new Map<string, PostRef>();
  for (const post of await client.postsSince(channelId, Date.now() - KEYED_POST_LOOKBACK_MS)) {
    const key = post.props[POST_KEY_PROP];
    if (typeof key === 'string') found.set(key, { postId: post.id, channelId: post.channel_id });
  }
  return found;
}

/**
 * The Notifier port over REST. Buttons of a DM are for its recipient; buttons of a channel post can be clicked by
 * anyone in that channel (a reminder or a ticket card has no single addressee).
 */
export function createMattermostNotifier(deps: { client: MattermostClient; poster: Poster }): Notifier {
  return {
    canPost: true,
    async sendDirect(userId, message, options) {
      const channel = await deps.client.directChannelWith(userId);
      return deps.poster.post(channel.id, message, { userId, idempotencyKey: options?.idempotencyKey });
    },
    postInChannel(channelId, message, options) {
      return deps.poster.post(channelId, message, { rootId: options?.rootId, idempotencyKey: options?.idempotencyKey });
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

import type { Notifier, OutgoingMessage, PostRef } from '../../src/core/notifier.js';

export interface RecordedPost {
  kind: 'direct' | 'channel' | 'update';
  target: string;
  message: OutgoingMessage;
  rootId?: string;
}

/** A notifier that keeps what would have been posted, for router-level tests (no Mattermost involved). */
export function createRecordingNotifier(options: { canPost?: boolean } = {}): Notifier & { posts: RecordedPost[] } {
  const posts: RecordedPost[] = [];
  let counter = 0;
  const record = (post: RecordedPost): PostRef => {
    posts.push(post);
    counter += 1;
    return { postId: `post${counter}`, channelId: post.kind === 'direct' ? `dm-${post.target}` : post.target };
  };
  return {
    posts,
    canPost: options.canPost ?? true,
    sendDirect: async (userId, message) => record({ kind: 'direct', target: userId, message }),
    postInChannel: async (channelId, message, opts) => record({ kind: 'channel', target: channelId, message, rootId: opts?.rootId }),
    updatePost: async (postId, message) => {
      record({ kind: 'update', target: postId, message });
    },
    // Names stand for ids: `alice` → user id `alice`, channel `support` → channel id `support`.
    resolveUser: async (username) => ({ id: username, username }),
    resolveChannel: async (name) => ({ channelId: name }),
  };
}

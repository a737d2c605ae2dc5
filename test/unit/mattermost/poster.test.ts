import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.js';
import type { MattermostClient } from '../../../src/mattermost/client.js';
import type { MattermostPost } from '../../../src/mattermost/payloads.js';
import { createButtonFactory, createPoster, POST_KEY_PROP } from '../../../src/mattermost/poster.js';
import { createSigner } from '../../../src/mattermost/signing.js';

/** A client that keeps posts in memory and, like Mattermost, forgets pending_post_ids (here: at once). */
function fakeClient() {
  const posts: MattermostPost[] = [];
  let lookups = 0;
  const client = {
    async createPost(post: { channelId: string; message: string; rootId?: string; props?: Record<string, unknown> }) {
      const created: MattermostPost = {
        id: `post${posts.length + 1}`,
        user_id: 'bot',
        channel_id: post.channelId,
        root_id: post.rootId ?? '',
        message: post.message,
        type: '',
        props: post.props ?? {},
        create_at: Date.now(),
        edit_at: 0,
        delete_at: 0,
      };
      posts.push(created);
      return created;
    },
    async postsSince(channelId: string) {
      lookups += 1;
      return posts.filter((post) => post.channel_id === channelId);
    },
  } as unknown as MattermostClient;
  return { client, posts, lookups: () => lookups };
}

const buttons = createButtonFactory({ signer: createSigner('x'.repeat(40), fixedClock('2026-11-23T09:00:00Z')), clock: fixedClock('2026-11-23T09:00:00Z'), actionUrl: () => undefined });

describe('poster: keyed messages', () => {
  it('does not post a keyed message twice, even after Mattermost forgot its pending_post_id', async () => {
    const fake = fakeClient();
    const poster = createPoster({ client: fake.client, buttons });
    const first = await poster.post('dm1', { text: 'Rappel examen' }, { idempotencyKey: 'reminder-7' });
    // A crash before the sender recorded the delivery: the same message is sent again, minutes later.
    const again = await poster.post('dm1', { text: 'Rappel examen' }, { idempotencyKey: 'reminder-7' });
    expect(fake.posts).toHaveLength(1);
    expect(again).toEqual(first);
    expect(typeof fake.posts[0]!.props[POST_KEY_PROP]).toBe('string');
  });

  it('posts keyed messages with other keys or in other channels, and unkeyed ones without any lookup', async () => {
    const fake = fakeClient();
    const poster = createPoster({ client: fake.client, buttons });
    await poster.post('dm1', { text: 'A' }, { idempotencyKey: 'k1' });
    await poster.post('dm1', { text: 'B' }, { idempotencyKey: 'k2' });
    await poster.post('dm2', { text: 'A' }, { idempotencyKey: 'k1' });
    expect(fake.lookups()).toBe(3);
    await poster.post('dm1', { text: 'C' });
    await poster.post('dm1', { text: 'C' });
    expect(fake.lookups()).toBe(3);
    expect(fake.posts.map((post) => `${post.channel_id}:${post.message}`)).toEqual(['dm1:A', 'dm1:B', 'dm2:A', 'dm1:C', 'dm1:C']);
    expect(fake.posts[3]!.props[POST_KEY_PROP]).toBeUndefined();
  });
});

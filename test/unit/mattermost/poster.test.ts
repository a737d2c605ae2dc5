import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.js';
import type { MattermostClient } from '../../../src/mattermost/client.js';
import type { MattermostPost } from '../../../src/mattermost/payloads.js';
import { createButtonFactory, createMattermostNotifier, createPoster, POST_KEY_PROP } from '../../../src/mattermost/poster.js';
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
    // `lookBack` is now explicit (it used to come with any key): a retried delivery asks for it.
    const first = await poster.post('dm1', { text: 'Rappel examen' }, { idempotencyKey: 'reminder-7', lookBack: true });
    // A crash before the sender recorded the delivery: the same message is sent again, minutes later.
    const again = await poster.post('dm1', { text: 'Rappel examen' }, { idempotencyKey: 'reminder-7', lookBack: true });
    expect(fake.posts).toHaveLength(1);
    expect(again).toEqual(first);
    expect(typeof fake.posts[0]!.props[POST_KEY_PROP]).toBe('string');
  });

  it('posts keyed messages with other keys or in other channels, and unkeyed ones without any lookup', async () => {
    const fake = fakeClient();
    const poster = createPoster({ client: fake.client, buttons });
    await poster.post('dm1', { text: 'A' }, { idempotencyKey: 'k1', lookBack: true });
    await poster.post('dm1', { text: 'B' }, { idempotencyKey: 'k2', lookBack: true });
    await poster.post('dm2', { text: 'A' }, { idempotencyKey: 'k1', lookBack: true });
    expect(fake.lookups()).toBe(3);
    await poster.post('dm1', { text: 'C' });
    await poster.post('dm1', { text: 'C' });
    expect(fake.lookups()).toBe(3);
    expect(fake.posts.map((post) => `${post.channel_id}:${post.message}`)).toEqual(['dm1:A', 'dm1:B', 'dm2:A', 'dm1:C', 'dm1:C']);
    expect(fake.posts[3]!.props[POST_KEY_PROP]).toBeUndefined();
  });
});

describe('poster: the history lookback is only for retried deliveries', () => {
  it('posts a keyed first answer without any lookup, still keyed for a later retry', async () => {
    const fake = fakeClient();
    const poster = createPoster({ client: fake.client, buttons });
    await poster.post('c1', { text: 'Réponse' }, { idempotencyKey: 'command:t1' });
    expect(fake.lookups()).toBe(0);
    expect(typeof fake.posts[0]!.props[POST_KEY_PROP]).toBe('string');
    // The retry of that same message finds it.
    await poster.post('c1', { text: 'Réponse' }, { idempotencyKey: 'command:t1', lookBack: true });
    expect(fake.lookups()).toBe(1);
    expect(fake.posts).toHaveLength(1);
  });

  it('passes the in-request call options to every Mattermost call of the message', async () => {
    const fake = fakeClient();
    const calls: unknown[] = [];
    const client = {
      ...fake.client,
      createPost: (post: never, call: unknown) => (calls.push(['createPost', call]), fake.client.createPost(post)),
      uploadFile: async (_channelId: string, _file: unknown, call: unknown) => (calls.push(['uploadFile', call]), 'f1'),
      postsSince: (channelId: string, since: number, call: unknown) => (calls.push(['postsSince', call]), fake.client.postsSince(channelId, since)),
    } as unknown as MattermostClient;
    const call = { inRequest: true, deadline: 123 };
    await createPoster({ client, buttons }).post(
      'c1',
      { text: 'Avec fichier', file: { name: 'a.ics', mimeType: 'text/calendar', content: 'x' } },
      { idempotencyKey: 'k', lookBack: true, call },
    );
    expect(calls).toEqual([
      ['postsSince', call],
      ['uploadFile', call],
      ['createPost', call],
    ]);
  });

  it('posts in the DM with a user, opened with the same call options, and looks back only when asked', async () => {
    const fake = fakeClient();
    const opened: unknown[] = [];
    const client = {
      ...fake.client,
      directChannelWith: async (userId: string, call: unknown) => (opened.push([userId, call]), { id: `dm-${userId}` }),
    } as unknown as MattermostClient;
    const call = { inRequest: true, deadline: 123 };
    const ref = await createPoster({ client, buttons }).postDirect('alice', { text: 'Confirmation' }, { idempotencyKey: 'dialog:1', call });
    expect(opened).toEqual([['alice', call]]);
    expect(ref).toEqual({ postId: 'post1', channelId: 'dm-alice' });
    expect(fake.posts.map((post) => `${post.channel_id}:${post.message}`)).toEqual(['dm-alice:Confirmation']);
    expect(fake.lookups()).toBe(0);
  });

  it('the notifier (features: outbox, reminders) keeps looking back for keyed messages, and only for them', async () => {
    const fake = fakeClient();
    const client = { ...fake.client, directChannelWith: async () => ({ id: 'dm1' }) } as unknown as MattermostClient;
    const notifier = createMattermostNotifier({ client, poster: createPoster({ client, buttons }), botUsername: () => 'certif-bot' });
    await notifier.sendDirect('alice', { text: 'Rappel' }, { idempotencyKey: 'reminder-1' });
    await notifier.sendDirect('alice', { text: 'Rappel' }, { idempotencyKey: 'reminder-1' });
    await notifier.postInChannel('c1', { text: 'Carte' }, { idempotencyKey: 'outbox-1' });
    expect(fake.lookups()).toBe(3);
    expect(fake.posts.map((post) => post.message)).toEqual(['Rappel', 'Carte']);
    await notifier.postInChannel('c1', { text: 'Sans clé' });
    expect(fake.lookups()).toBe(3);
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeliveryOptions, Notifier } from '../../../src/core/notifier.js';
import { backoffMs, createOutbox, OUTBOX_MAX_DELAY_MS, OUTBOX_STUCK_ATTEMPTS } from '../../../src/features/escalation/outbox.js';
import { ESCALATION_MIGRATIONS } from '../../../src/features/escalation/store.js';
import { createSilentLogger } from '../../../src/logger.js';
import { openDatabase } from '../../../src/storage/database.js';
import { createRecordingNotifier } from '../../support/recording-notifier.js';
import { makeTestTempDir } from '../../support/temp-dir.js';
import { ALICE, createHarness, settle } from './harness.js';

/** A recording notifier with an outage switch, that remembers the idempotency keys it was given. */
function createFlakyNotifier() {
  const inner = createRecordingNotifier();
  const state = { down: false, keys: [] as (string | undefined)[], calls: 0 };
  const guard = (options?: DeliveryOptions) => {
    state.calls += 1;
    state.keys.push(options?.idempotencyKey);
    if (state.down) throw new Error('503 Service Unavailable');
  };
  const notifier: Notifier & { posts: typeof inner.posts } = {
    ...inner,
    posts: inner.posts,
    async sendDirect(userId, message, options) {
      guard(options);
      return inner.sendDirect(userId, message, options);
    },
    async postInChannel(channelId, message, options) {
      guard(options);
      return inner.postInChannel(channelId, message, options);
    },
    async updatePost(postId, message) {
      guard();
      return inner.updatePost(postId, message);
    },
    resolveUser: async (username) => (username === 'personne' ? undefined : { id: `id-${username}`, username }),
  };
  return { notifier, state };
}

const T0 = new Date('2026-11-23T09:00:00Z');
const at = (ms: number) => () => new Date(T0.getTime() + ms);

function setup(file = ':memory:') {
  const db = openDatabase({ file, migrations: ESCALATION_MIGRATIONS });
  const { notifier, state } = createFlakyNotifier();
  const outbox = createOutbox({ db, notifier, log: createSilentLogger() });
  return { db, notifier, state, outbox };
}

describe('escalation outbox', () => {
  it('backs off exponentially, capped', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(backoffMs(30)).toBe(15 * 60_000);
  });

  it('retries with backoff during an outage, then delivers exactly once', async () => {
    const { outbox, notifier, state } = setup();
    state.down = true;
    outbox.enqueue({ kind: 'channel', target: 'channel:support', message: { text: 'carte' }, key: 'card-1', ticketId: 1, role: 'card' }, T0);
    expect(await outbox.drain(at(0))).toEqual({ delivered: 0, failed: 1, waiting: 0 });
    expect(outbox.row('card-1')).toMatchObject({ attempts: 1, next_attempt_at: '2026-11-23T09:00:05.000Z', last_error: '503 Service Unavailable' });
    // Not due yet: not even tried.
    await outbox.drain(at(4_000));
    expect(state.calls).toBe(1);
    await outbox.drain(at(5_000));
    expect(outbox.row('card-1')).toMatchObject({ attempts: 2, next_attempt_at: '2026-11-23T09:00:15.000Z' });
    state.down = false;
    expect(await outbox.drain(at(15_000))).toEqual({ delivered: 1, failed: 0, waiting: 0 });
    expect(notifier.posts).toHaveLength(1);
    expect(outbox.row('card-1')).toMatchObject({ delivered_post_id: 'post1', delivered_channel_id: 'support' });
    // Delivered rows are never sent again, and every attempt carried the same idempotency key.
    await outbox.drain(at(60_000));
    expect(notifier.posts).toHaveLength(1);
    expect(state.keys).toEqual(['card-1', 'card-1', 'card-1']);
  });

  it('counts the backlog without reading it: pending, stuck after OUTBOX_STUCK_ATTEMPTS failures, oldest', async () => {
    const { outbox, state } = setup();
    expect(outbox.stats()).toEqual({ pending: 0, stuck: 0, oldestPendingAt: null });
    state.down = true;
    outbox.enqueue({ kind: 'channel', target: 'channel:support', message: { text: 'carte' }, key: 'card-1', ticketId: 1, role: 'card' }, T0);
    outbox.enqueue({ kind: 'direct', target: 'id:u1', message: { text: 'avis' }, key: 'notice-1', ticketId: 1, role: 'notice' }, at(60_000)());
    outbox.enqueue({ kind: 'direct', target: 'id:u2', message: { text: 'autre' }, key: 'notice-2', ticketId: 2, role: 'notice' }, at(60_000)());
    // notice-2 is superseded (it leaves the backlog); card-1 and notice-1 fail until card-1 is stuck.
    outbox.supersede(2, ['notice'], 'annulé : ticket clos', T0);
    let now = 60_000;
    for (let attempt = 1; attempt < OUTBOX_STUCK_ATTEMPTS; attempt += 1) {
      await outbox.drain(at(now));
      now += OUTBOX_MAX_DELAY_MS;
    }
    expect(outbox.stats()).toEqual({ pending: 2, stuck: 0, oldestPendingAt: T0 });
    await outbox.drain(at(now));
    expect(outbox.row('card-1')!.attempts).toBe(OUTBOX_STUCK_ATTEMPTS);
    expect(outbox.stats()).toEqual({ pending: 2, stuck: 2, oldestPendingAt: T0 });
    state.down = false;
    await outbox.drain(at(now + OUTBOX_MAX_DELAY_MS));
    expect(outbox.stats()).toEqual({ pending: 0, stuck: 0, oldestPendingAt: null });
  });

  it('ignores a second enqueue with the same key', async () => {
    const { outbox, notifier } = setup();
    for (let i = 0; i < 2; i += 1) {
      outbox.enqueue({ kind: 'direct', target: 'id:u1', message: { text: 'relais' }, key: 'relay-1', ticketId: 1, role: 'relay' }, T0);
    }
    await outbox.drain(at(0));
    expect(notifier.posts).toHaveLength(1);
  });

  it('holds a card update until the card is delivered, and posts only the newest pending update', async () => {
    const { outbox, notifier, state } = setup();
    state.down = true;
    outbox.enqueue({ kind: 'direct', target: 'user:dominique', message: { text: 'carte' }, key: 'card-1', ticketId: 1, role: 'card' }, T0);
    outbox.enqueue({ kind: 'update', target: 'card-1', message: { text: 'pris' }, key: 'up-1', ticketId: 1, role: 'card-update' }, T0);
    outbox.enqueue({ kind: 'update', target: 'card-1', message: { text: 'répondu' }, key: 'up-2', ticketId: 1, role: 'card-update' }, T0);
    await outbox.drain(at(0));
    expect(outbox.row('up-2')).toMatchObject({ attempts: 0, delivered_at: null });
    state.down = false;
    await outbox.drain(at(5_000));
    expect(notifier.posts.map((post) => [post.kind, post.target, post.message.text])).toEqual([
      ['direct', 'id-dominique', 'carte'],
      ['update', 'post1', 'répondu'],
    ]);
    expect(outbox.pending()).toEqual([]);
  });

  it('keeps retrying a receiver Mattermost does not know (the directory may be fixed), without losing it', async () => {
    const { outbox, notifier } = setup();
    outbox.enqueue({ kind: 'direct', target: 'user:personne', message: { text: 'carte' }, key: 'card-x', ticketId: 1, role: 'card' }, T0);
    await outbox.drain(at(0));
    expect(notifier.posts).toEqual([]);
    expect(outbox.row('card-x')).toMatchObject({ attempts: 1, last_error: 'unknown receiver user:personne' });
  });

  it('survives a restart between enqueue and delivery: the row is delivered once by the next process', async () => {
    const file = path.join(makeTestTempDir('certif-outbox-'), 'bot.sqlite');
    const first = setup(file);
    first.state.down = true;
    first.outbox.enqueue({ kind: 'channel', target: 'channel:support', message: { text: 'carte' }, key: 'card-1', ticketId: 1, role: 'card' }, T0);
    await first.outbox.drain(at(0));
    first.db.close();
    const second = setup(file);
    await second.outbox.drain(at(10_000));
    await second.outbox.drain(at(20_000));
    expect(second.notifier.posts).toHaveLength(1);
    expect(second.state.keys).toEqual(['card-1']);
    second.db.close();
  });

  it('shares one run between concurrent drains', async () => {
    const { outbox, notifier } = setup();
    outbox.enqueue({ kind: 'channel', target: 'channel:support', message: { text: 'carte' }, key: 'card-1', ticketId: 1, role: 'card' }, T0);
    await Promise.all([outbox.drain(at(0)), outbox.drain(at(0)), outbox.drain(at(0))]);
    expect(notifier.posts).toHaveLength(1);
  });

  it('supersedes a ticket’s undelivered rows of the given roles and the updates waiting on them, nothing else', async () => {
    const { outbox, notifier, state } = setup();
    state.down = true;
    outbox.enqueue({ kind: 'channel', target: 'channel:support', message: { text: 'carte' }, key: 'card-1', ticketId: 1, role: 'card' }, T0);
    outbox.enqueue({ kind: 'update', target: 'card-1', message: { text: 'pris' }, key: 'up-1', ticketId: 1, role: 'card-update' }, T0);
    outbox.enqueue({ kind: 'channel', target: 'channel:support', message: { text: 'rappel' }, key: 'remind-1', ticketId: 1, role: 'reminder' }, T0);
    outbox.enqueue({ kind: 'direct', target: 'id:u1', message: { text: 'avis' }, key: 'notice-1', ticketId: 1, role: 'notice' }, T0);
    outbox.enqueue({ kind: 'channel', target: 'channel:support', message: { text: 'autre carte' }, key: 'card-2', ticketId: 2, role: 'card' }, T0);
    await outbox.drain(at(0));
    const keys = outbox.supersede(1, ['card', 'reminder', 'fallback'], 'annulé : ticket clos', T0);
    expect(keys).toEqual(['card-1', 'remind-1']);
    for (const key of ['card-1', 'up-1', 'remind-1']) {
      expect(outbox.row(key)).toMatchObject({ delivered_at: T0.toISOString(), delivered_post_id: null, last_error: 'annulé : ticket clos' });
      expect(outbox.isSuperseded(key)).toBe(true);
    }
    expect(outbox.pending().map((row) => row.idempotency_key)).toEqual(['notice-1', 'card-2']);
    state.down = false;
    await outbox.drain(at(60_000));
    expect(notifier.posts.map((post) => post.message.text)).toEqual(['avis', 'autre carte']);
    expect(outbox.pending()).toEqual([]);
  });

  it('drops an update of a card superseded before being posted, and threads nothing under it', async () => {
    const { outbox, notifier } = setup();
    outbox.enqueue({ kind: 'channel', target: 'channel:support', message: { text: 'carte' }, key: 'card-1', ticketId: 1, role: 'card' }, T0);
    outbox.supersede(1, ['card'], 'annulé : ticket redirigé', T0);
    // Enqueued after (as an older process could have): neither waits forever.
    outbox.enqueue({ kind: 'update', target: 'card-1', message: { text: 'pris' }, key: 'up-1', ticketId: 1, role: 'card-update' }, T0);
    outbox.enqueue({ kind: 'channel', target: 'channel:support', message: { text: 'suite' }, key: 'follow-1', ticketId: 1, role: 'notice', rootKey: 'card-1' }, T0);
    await outbox.drain(at(0));
    expect(outbox.row('up-1')).toMatchObject({ delivered_post_id: null, last_error: 'carte jamais publiée (remplacée ou annulée)' });
    expect(notifier.posts.map((post) => [post.kind, post.message.text, post.rootId])).toEqual([['channel', 'suite', undefined]]);
    expect(outbox.pending()).toEqual([]);
  });

  it('keeps the post id of a row superseded while its delivery was in flight', async () => {
    const db = openDatabase({ file: ':memory:', migrations: ESCALATION_MIGRATIONS });
    const inner = createRecordingNotifier();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const notifier: Notifier = {
      ...inner,
      async postInChannel(channelId, message, options) {
        await gate;
        return inner.postInChannel(channelId, message, options);
      },
    };
    const outbox = createOutbox({ db, notifier, log: createSilentLogger() });
    outbox.enqueue({ kind: 'channel', target: 'channel:support', message: { text: 'carte' }, key: 'card-1', ticketId: 1, role: 'card' }, T0);
    const draining = outbox.drain(at(0));
    await Promise.resolve();
    db.transaction(() => outbox.supersede(1, ['card'], 'annulé : ticket clos', T0))();
    release();
    await draining;
    expect(outbox.row('card-1')).toMatchObject({ delivered_post_id: 'post1', last_error: 'annulé : ticket clos' });
    expect(outbox.isSuperseded('card-1')).toBe(false);
    expect(outbox.pending()).toEqual([]);
  });

  it('commits the ticket and its card together: an outage loses nothing, recovery posts once', async () => {
    const { notifier, state } = createFlakyNotifier();
    const h = createHarness({ notifier });
    await h.say(ALICE, 'certif', 'profil organisme Nord cohorte Nord mars 2026');
    state.down = true;
    const confirmation = await h.say(ALICE, 'referent', 'Quand vais-je recevoir ma convocation au CCP1 ?');
    const confirm = confirmation.buttons![0]!;
    await h.click(ALICE, confirm.action, { ...confirm.payload });
    await settle(h);
    expect(h.escalation.store.openTickets()).toHaveLength(1);
    expect(notifier.posts).toEqual([]);
    state.down = false;
    h.clock.advance(10 * 60_000);
    await h.escalation.tick();
    await h.escalation.tick();
    expect(notifier.posts.filter((post) => post.kind === 'channel')).toHaveLength(1);
  });
});

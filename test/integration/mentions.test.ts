import { afterEach, describe, expect, it } from 'vitest';
import { startWorld, waitUntilListening, type World } from '../support/bot-harness.js';
import { waitFor, type StandInChannel } from '../support/mattermost-stand-in.js';

/** Posts by the bot in a channel, oldest first. */
const botPosts = (world: World, channel: StandInChannel = world.channel) =>
  world.mm.postsIn(channel).filter((post) => post.user_id === world.botUser.id);

/** The catch-up cursor the listener keeps in SQLite (server time, ms). */
const savedCursor = (world: World) =>
  Number((world.app.db.prepare(`SELECT value FROM mattermost_state WHERE key = 'cursor'`).get() as { value: string }).value);

const settle = async (world: World, ms = 150) => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await world.bot.listener?.idle();
};

describe('mentions and direct messages over the WebSocket', () => {
  let world: World;
  afterEach(async () => {
    await world.close();
  });

  it('answers a mention in the thread of the post, once, with the @name stripped', async () => {
    world = await startWorld();
    await waitUntilListening(world);
    const question = world.mm.postAs(world.alice, world.channel, '@certif-bot : c quoi le délai pour passer le ccp1 ?');
    const [answer] = await waitFor(() => (botPosts(world).length > 0 ? botPosts(world) : undefined), { what: 'an answer' });
    expect(answer).toMatchObject({ root_id: question.id, user_id: world.botUser.id });
    expect(answer?.props.from_bot).toBe('true');
    await settle(world);
    expect(botPosts(world)).toHaveLength(1);
    const line = world.logs.find((entry) => entry.msg === 'input handled');
    expect(line).toMatchObject({ kind: 'message', transport: 'mattermost', userId: world.alice.id });
    expect(JSON.stringify(world.logs)).not.toContain('délai pour passer');
  });

  it('answers a mention made inside a thread in that same thread', async () => {
    world = await startWorld();
    await waitUntilListening(world);
    const root = world.mm.postAs(world.bob, world.channel, 'Quelqu’un sait pour le Pix ?');
    world.mm.postAs(world.alice, world.channel, 'Demandons au bot @certif-bot.', { rootId: root.id });
    const [answer] = await waitFor(() => (botPosts(world).length > 0 ? botPosts(world) : undefined));
    expect(answer?.root_id).toBe(root.id);
  });

  it('answers every message of a DM with the bot, in the DM', async () => {
    world = await startWorld();
    await waitUntilListening(world);
    const dm = world.mm.directChannel(world.alice, world.botUser);
    world.mm.postAs(world.alice, dm, 'bonjour, comment s’inscrire au CCP1 ?');
    const [answer] = await waitFor(() => (botPosts(world, dm).length > 0 ? botPosts(world, dm) : undefined));
    expect(answer).toMatchObject({ channel_id: dm.id, root_id: '' });
    await settle(world);
    expect(botPosts(world, dm)).toHaveLength(1);
  });

  it('ignores other bots, webhook posts, system messages, edits, @channel and mentions inside code', async () => {
    world = await startWorld();
    await waitUntilListening(world);
    const otherBot = world.mm.addUser('autre-bot', { isBot: true });
    world.channel.members.add(otherBot.id);
    world.mm.postAs(otherBot, world.channel, '@certif-bot bonjour de la part d’un bot');
    world.mm.postAs(world.alice, world.channel, '@certif-bot réponse d’une commande', { props: { from_webhook: 'true' } });
    world.mm.postAs(world.alice, world.channel, '@certif-bot added to the channel', { type: 'system_add_to_channel' });
    world.mm.postAs(world.alice, world.channel, '@channel réunion demain à 10 h');
    world.mm.postAs(world.alice, world.channel, 'Tapez `@certif-bot question` pour demander');
    world.mm.postAs(world.alice, world.channel, 'Écrivez à @certif-bot-support plutôt');
    const plain = world.mm.postAs(world.alice, world.channel, 'Un message sans mention');
    world.mm.editPost(plain, 'Un message modifié pour @certif-bot');
    const dm = world.mm.directChannel(otherBot, world.botUser);
    world.mm.postAs(otherBot, dm, 'un bot qui écrit en privé');
    await settle(world, 300);
    expect(botPosts(world)).toHaveLength(0);
    expect(botPosts(world, dm)).toHaveLength(0);
  });

  it('answers only in MM_ANSWER_CHANNELS (names or ids), and DMs always', async () => {
    world = await startWorld({ env: { MM_ANSWER_CHANNELS: 'formation-certification' } });
    const other = world.mm.addChannel(world.team, 'general', [world.botUser, world.alice]);
    await waitUntilListening(world);
    world.mm.postAs(world.alice, other, '@certif-bot une question hors du canal');
    world.mm.postAs(world.alice, world.channel, '@certif-bot une question dans le canal');
    await waitFor(() => botPosts(world).length === 1);
    await settle(world);
    expect(botPosts(world, other)).toHaveLength(0);
  });

  it('catches up after a reconnect that lost events, and answers the missed mention exactly once', async () => {
    world = await startWorld();
    await waitUntilListening(world);
    world.mm.postAs(world.alice, world.channel, '@certif-bot première question');
    await waitFor(() => botPosts(world).length === 1);

    world.mm.dropSockets({ refuseForMs: 300 });
    const missed = world.mm.postAs(world.alice, world.channel, '@certif-bot question pendant la coupure');
    expect(world.mm.sentEvents.filter((event) => event.userId === world.botUser.id && String(event.data.post ?? '').includes(missed.id))).toHaveLength(0);

    await waitFor(() => botPosts(world).length === 2, { what: 'the missed mention answered' });
    expect(botPosts(world)[1]?.root_id).toBe(missed.id);
    // Another reconnect reads the same posts again: nothing is answered twice.
    world.mm.dropSockets();
    await waitUntilListening(world);
    await settle(world, 300);
    expect(botPosts(world)).toHaveLength(2);
    expect(world.mm.requestsTo('GET', /^\/channels\/[^/]+\/posts$/).length).toBeGreaterThan(0);
  });

  it('answers, after a restart, the mentions made while it was down', async () => {
    world = await startWorld();
    await waitUntilListening(world);
    world.mm.postAs(world.alice, world.channel, '@certif-bot avant l’arrêt');
    await waitFor(() => botPosts(world).length === 1);
    await world.stopBot();
    const during = world.mm.postAs(world.bob, world.channel, '@certif-bot pendant l’arrêt');
    await world.startBotAgain();
    await waitFor(() => botPosts(world).length === 2, { what: 'the mention made during the downtime' });
    expect(botPosts(world)[1]?.root_id).toBe(during.id);
    await settle(world);
    expect(botPosts(world)).toHaveLength(2);
  });

  it('keeps the cursor back while a catch-up fails half-way, so the retry still answers the mention in the unvisited channel', async () => {
    // The bot's clock runs 10 minutes behind: its first cursor predates the backdated mention below.
    world = await startWorld({ clock: { now: () => new Date(Date.now() - 10 * 60_000) } });
    await waitUntilListening(world);
    const second = world.mm.addChannel(world.team, 'second-canal', [world.botUser, world.alice, world.bob]);
    const cursorBefore = savedCursor(world);

    world.mm.dropSockets({ refuseForMs: 300 });
    // Missed while disconnected: a mention in the second channel made 5 minutes ago (older than the 60 s margin),
    // and a fresh one in the first channel, which the catch-up visits first.
    const old = world.mm.postAs(world.bob, second, '@certif-bot question oubliée dans le second canal');
    const stored = world.mm.posts.get(old.id)!;
    stored.create_at = stored.update_at = Date.now() - 5 * 60_000;
    world.mm.postAs(world.alice, world.channel, '@certif-bot question récente');
    // Every attempt to read the second channel fails: the first catch-up stops after the first channel.
    world.mm.failRequests({ method: 'GET', path: new RegExp(`^/channels/${second.id}/posts$`), times: 5, status: 503 });

    await waitFor(() => botPosts(world).length === 1, { what: 'the mention in the first channel answered' });
    await waitFor(() => world.mm.requestsTo('GET', new RegExp(`^/channels/${second.id}/posts$`)).filter((r) => r.status === 503).length === 5, {
      what: 'the failed reads of the second channel',
    });
    // Not past the first channel's answer: the cursor the failed catch-up started from is kept.
    const cursorDuring = savedCursor(world);
    expect(cursorDuring).toBeLessThanOrEqual(cursorBefore);
    expect(cursorDuring).toBeLessThan(stored.create_at);

    // The retry (after retryAfterFailureMs) reads the second channel from there and answers the old mention.
    const [answer] = await waitFor(() => (botPosts(world, second).length > 0 ? botPosts(world, second) : undefined), {
      timeoutMs: 5000,
      what: 'the mention in the unvisited channel answered after recovery',
    });
    expect(answer?.root_id).toBe(old.id);
    await settle(world, 300);
    expect(botPosts(world)).toHaveLength(1);
    expect(botPosts(world, second)).toHaveLength(1);
    // The completed catch-up moved the cursor forward.
    expect(savedCursor(world)).toBeGreaterThan(stored.create_at);
  });

  it('answers a live mention without reading the history first, and a caught-up one only after checking it', async () => {
    world = await startWorld();
    await waitUntilListening(world);
    // The poster's lookback reads the last 2 hours; the catch-up reads from its cursor (seconds ago here).
    const lookbacks = () =>
      world.mm
        .requestsTo('GET', /^\/channels\/[^/]+\/posts$/)
        .filter((request) => Number(new URLSearchParams(request.query ?? '').get('since')) < Date.now() - 60 * 60_000);
    world.mm.postAs(world.alice, world.channel, '@certif-bot question en direct');
    await waitFor(() => botPosts(world).length === 1);
    expect(lookbacks()).toHaveLength(0);

    await world.stopBot();
    world.mm.postAs(world.bob, world.channel, '@certif-bot question pendant l’arrêt');
    await world.startBotAgain();
    await waitFor(() => botPosts(world).length === 2, { what: 'the caught-up mention answered' });
    expect(lookbacks().length).toBeGreaterThanOrEqual(1);
  });

  it('retries post creation on 5xx and on a text/plain 429, and posts once', async () => {
    world = await startWorld();
    await waitUntilListening(world);
    world.mm.failRequests({ method: 'POST', path: /^\/posts$/, times: 2, status: 503 });
    world.mm.postAs(world.alice, world.channel, '@certif-bot question pendant une panne');
    await waitFor(() => botPosts(world).length === 1);
    expect(world.mm.requestsTo('POST', /^\/posts$/).filter((request) => request.userId === world.botUser.id || request.status >= 500)).toHaveLength(3);

    world.mm.rateLimit({ method: 'POST', path: /^\/posts$/, times: 1, retryAfterSec: 1 });
    const started = Date.now();
    world.mm.postAs(world.alice, world.channel, '@certif-bot question pendant une limitation');
    await waitFor(() => botPosts(world).length === 2, { timeoutMs: 5000 });
    // Retry-After (1 s, capped to 0.9 s by the test retry policy) was honoured rather than the 20 ms backoff.
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    expect(world.mm.requestsTo('POST', /^\/posts$/).filter((request) => request.status === 429)).toHaveLength(1);
    await settle(world);
    expect(botPosts(world)).toHaveLength(2);
  });

  it('posts once when the server created the post but the response was lost (pending_post_id)', async () => {
    world = await startWorld();
    await waitUntilListening(world);
    world.mm.failAfterProcessing({ method: 'POST', path: /^\/posts$/, times: 1, status: 502 });
    world.mm.postAs(world.alice, world.channel, '@certif-bot question avec réponse perdue');
    await waitFor(() => botPosts(world).length === 1);
    await settle(world, 200);
    expect(botPosts(world)).toHaveLength(1);
    expect(world.mm.requestsTo('POST', /^\/posts$/).filter((request) => request.userId === world.botUser.id)).toHaveLength(2);
  });

  it('answers later when Mattermost stays down longer than the retries, without answering twice', async () => {
    world = await startWorld();
    await waitUntilListening(world);
    world.mm.failRequests({ method: 'POST', path: /^\/posts$/, forMs: 700, status: 500 });
    const question = world.mm.postAs(world.alice, world.channel, '@certif-bot question pendant une longue panne');
    await waitFor(() => botPosts(world).length === 1, { timeoutMs: 6000, what: 'the answer after the outage' });
    expect(botPosts(world)[0]?.root_id).toBe(question.id);
    await settle(world, 500);
    expect(botPosts(world)).toHaveLength(1);
  });

  it('handles a 16,000-character message without crashing', async () => {
    world = await startWorld();
    await waitUntilListening(world);
    world.mm.postAs(world.alice, world.channel, `@certif-bot ${'é'.repeat(16_000)}`);
    await waitFor(() => botPosts(world).length >= 1);
    for (const post of botPosts(world)) expect(Array.from(post.message).length).toBeLessThanOrEqual(16_383);
  });
});

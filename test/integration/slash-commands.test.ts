import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMAND_TOKEN, startWorld, type World } from '../support/bot-harness.js';
import { LONG_REPLY, registerProbeFeature } from '../support/probe-feature.js';

const attachmentsOf = (post: { props: Record<string, unknown> }) =>
  (post.props.attachments ?? []) as { actions?: { id: string; name: string; integration?: unknown }[]; fields?: unknown[] }[];

describe('slash commands over HTTP, delivered by the stand-in as the server does', () => {
  let world: World;
  beforeEach(async () => {
    world = await startWorld({ configure: registerProbeFeature });
  });
  afterEach(async () => {
    await world.close();
  });

  it('answers privately (ephemeral) with buttons carrying signed, hidden integrations', async () => {
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/sonde délai ccp1');
    expect(outcome.ok).toBe(true);
    expect(outcome.contentType).toMatch(/^application\/json/);
    expect(outcome.posts).toHaveLength(0);
    expect(outcome.ephemerals).toHaveLength(1);
    const [reply] = outcome.ephemerals;
    expect(reply?.message).toBe('Reçu 10 caractères.');
    const [attachment] = attachmentsOf(reply!);
    expect(attachment?.actions?.map((action) => action.name)).toEqual(['👍 Voter', 'Partager dans le canal', 'Choisir', 'Remplacer', 'Formulaire']);
    for (const action of attachment?.actions ?? []) {
      expect(action.id).toMatch(/^[A-Za-z0-9]+$/);
      expect(action.integration).toBeUndefined();
    }
    expect(new Set(attachment?.actions?.map((action) => action.id)).size).toBe(5);
    expect(attachment?.fields).toEqual([{ title: 'Source', value: 'sonde', short: true }]);
    // Server side, the integration points at the bot with a signed context.
    const stored = world.mm.ephemerals.get(reply!.id)!;
    const integration = (attachmentsOf(stored)[0]?.actions?.[0]?.integration ?? {}) as { url: string; context: Record<string, unknown> };
    expect(integration.url).toBe(`${world.bot.url}/mattermost/action`);
    expect(integration.context).toMatchObject({ a: 'sonde.vote', u: world.alice.id, c: world.channel.id, o: 'e' });
    expect(typeof integration.context.s).toBe('string');
  });

  it('logs one structured line per input, without the text', async () => {
    await world.mm.executeCommand(world.alice, world.channel, '/sonde une question confidentielle');
    const lines = world.logs.filter((line) => line.msg === 'input handled');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ transport: 'mattermost', kind: 'command', name: 'sonde', userId: world.alice.id, outcome: 'message' });
    expect(JSON.stringify(world.logs)).not.toContain('confidentielle');
    expect(JSON.stringify(world.logs)).not.toContain(COMMAND_TOKEN);
  });

  it('posts a public reply as the bot through REST, not as an in_channel response under the user’s name', async () => {
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/sonde public');
    expect(outcome.ok).toBe(true);
    expect(outcome.ephemerals).toHaveLength(0);
    expect(outcome.posts).toHaveLength(1);
    expect(outcome.posts[0]).toMatchObject({ user_id: world.botUser.id, message: 'Réponse publique pour @alice' });
    expect(outcome.posts[0]?.props.from_bot).toBe('true');
    expect(outcome.posts[0]?.props.from_webhook).toBeUndefined();
  });

  it('posts a public reply in the thread where the command was typed', async () => {
    const root = world.mm.postAs(world.bob, world.channel, 'Un fil de discussion');
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/sonde public', { rootId: root.id });
    expect(outcome.posts[0]).toMatchObject({ user_id: world.botUser.id, root_id: root.id });
  });

  it('tells the user, privately, when it cannot publish in a channel it is not in', async () => {
    const elsewhere = world.mm.addChannel(world.team, 'sans-le-bot', [world.alice]);
    const outcome = await world.mm.executeCommand(world.alice, elsewhere, '/sonde public');
    expect(outcome.ok).toBe(true);
    expect(outcome.posts).toHaveLength(0);
    expect(outcome.ephemerals[0]?.message).toContain('/invite @certif-bot');
    expect(outcome.ephemerals[0]?.message).toContain('Réponse publique pour @alice');
  });

  it('publishes a public reply with one history-free POST (no lookback GET before it)', async () => {
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/sonde public');
    expect(outcome.posts).toHaveLength(1);
    expect(world.mm.requestsTo('GET', /^\/channels\/[^/]+\/posts$/)).toHaveLength(0);
    expect(world.mm.requestsTo('POST', /^\/posts$/)).toHaveLength(1);
  });

  it('gives up publishing after the short in-request policy (2 attempts) and answers privately in time', async () => {
    world.mm.failRequests({ method: 'POST', path: /^\/posts$/, forMs: 30_000, status: 503 });
    const started = Date.now();
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/sonde public');
    expect(outcome.ok).toBe(true);
    // The background policy of this harness would try 5 times; the in-request one stops after 2.
    expect(world.mm.requestsTo('POST', /^\/posts$/).filter((request) => request.status === 503)).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcome.ephemerals[0]?.message).toContain('Je ne peux pas publier dans le canal');
    expect(outcome.ephemerals[0]?.message).toContain('Réponse publique pour @alice');
  });

  it('refuses an unknown token with 401 and processes nothing', async () => {
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/sonde public', { token: 'wrongtoken0123456789abcdef' });
    expect(outcome.ok).toBe(false);
    expect(outcome.httpStatus).toBe(401);
    expect(world.mm.postsIn(world.channel)).toHaveLength(0);
    expect(world.logs.some((line) => line.msg === 'input handled')).toBe(false);
  });

  it('refuses a form token that differs from the header token', async () => {
    const response = await fetch(`${world.bot.url}/mattermost/command`, {
      method: 'POST',
      headers: { Authorization: `Token ${COMMAND_TOKEN}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'another', command: '/sonde', channel_id: 'c', user_id: 'u' }).toString(),
    });
    expect(response.status).toBe(401);
  });

  it('accepts the token from the form alone (older servers, curl)', async () => {
    const response = await fetch(`${world.bot.url}/mattermost/command`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: COMMAND_TOKEN, command: '/sonde', text: 'abc', channel_id: 'c', user_id: 'u' }).toString(),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ response_type: 'ephemeral', text: 'Reçu 3 caractères.' });
  });

  it('answers an unknown command in French', async () => {
    world.mm.addCommand(world.team, { trigger: 'inconnue', url: `${world.bot.url}/mattermost/command`, token: COMMAND_TOKEN });
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/inconnue test');
    expect(outcome.ok).toBe(true);
    expect(outcome.ephemerals[0]?.message).toContain("La commande `/inconnue` n'existe pas ici");
  });

  it('answers a malformed form with 400 and a short message, never a stack', async () => {
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/sonde x', { rawBody: 'command=pas-une-commande&user_id=' });
    expect(outcome.httpStatus).toBe(400);
    expect(JSON.stringify(outcome.body)).toMatch(/Commande mal formée/);
    expect(JSON.stringify(outcome.body)).not.toMatch(/at .*\.ts/);
    const notForm = await fetch(`${world.bot.url}/mattermost/command`, {
      method: 'POST',
      headers: { Authorization: `Token ${COMMAND_TOKEN}`, 'Content-Type': 'application/json' },
      body: '{"command":"/sonde"}',
    });
    expect(notForm.status).toBe(400);
  });

  it('refuses a 1 MB body with 413', async () => {
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/sonde x', {
      rawBody: `command=%2Fsonde&channel_id=c&user_id=u&text=${'a'.repeat(1024 * 1024)}`,
    });
    expect(outcome.httpStatus).toBe(413);
    const unauthenticated = await fetch(`${world.bot.url}/mattermost/command`, {
      method: 'POST',
      headers: { Authorization: 'Token nope', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a'.repeat(1024 * 1024),
    });
    expect(unauthenticated.status).toBe(401);
  });

  it('handles a 16,000-character accented message and splits a long reply into extra responses', async () => {
    const text = 'é'.repeat(16_000);
    const outcome = await world.mm.executeCommand(world.alice, world.channel, `/sonde ${text}`);
    expect(outcome.ok).toBe(true);
    expect(outcome.ephemerals[0]?.message).toBe('Reçu 16000 caractères.');

    const long = await world.mm.executeCommand(world.alice, world.channel, '/sonde long');
    expect(long.ok).toBe(true);
    expect(long.ephemerals.length).toBeGreaterThan(1);
    for (const part of long.ephemerals) expect(Array.from(part.message).length).toBeLessThanOrEqual(16_383);
    expect(attachmentsOf(long.ephemerals.at(-1)!)[0]?.actions).toHaveLength(1);
    expect(long.ephemerals.map((part) => part.message).join('').replace(/\s+/g, '')).toContain(
      LONG_REPLY.slice(0, 2000).replace(/\s+/g, ''),
    );
  });

  it('turns a crash into a French apology with a reference', async () => {
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/sonde boom');
    expect(outcome.ok).toBe(true);
    expect(outcome.ephemerals[0]?.message).toContain('Désolé');
    expect(outcome.ephemerals[0]?.message).not.toContain('secret detail');
  });

  it('answers "no reply" with an empty ephemeral JSON response (nothing posted, no "OK" text)', async () => {
    const outcome = await world.mm.executeCommand(world.alice, world.channel, '/sonde rien');
    expect(outcome.ok).toBe(true);
    expect(outcome.body).toEqual({ response_type: 'ephemeral', text: '' });
    expect(outcome.ephemerals).toHaveLength(0);
  });
});

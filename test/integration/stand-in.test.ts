import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client4 } from '../../src/mattermost/mattermost-lib.js';
import { connectAs, startMattermostStandIn, type MattermostStandIn, type StandInChannel, type StandInTeam, type StandInUser } from '../support/mattermost-stand-in.js';

/**
 * The stand-in must fail where the real server fails, or the end-to-end tests prove nothing: these checks pin the
 * protocol traps it reproduces, with the real @mattermost/client where a client is involved.
 */
describe('Mattermost stand-in fidelity', () => {
  let mm: MattermostStandIn;
  let alice: StandInUser;
  let bob: StandInUser;
  let team: StandInTeam;
  let channel: StandInChannel;
  let integration: Server | undefined;

  beforeEach(async () => {
    mm = await startMattermostStandIn();
    alice = mm.addUser('alice');
    bob = mm.addUser('bob');
    team = mm.addTeam('cnfs', [alice, bob]);
    channel = mm.addChannel(team, 'town-square', [alice, bob]);
  });
  afterEach(async () => {
    await mm.close();
    await new Promise<void>((resolve) => (integration ? integration.close(() => resolve()) : resolve()));
    integration = undefined;
  });

  /** A fake integration answering every request with a fixed status, content type and body. */
  async function integrationAnswering(status: number, contentType: string | undefined, body: string): Promise<string> {
    integration = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(status, contentType ? { 'Content-Type': contentType } : {});
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => integration!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(integration.address() as AddressInfo).port}/`;
  }

  const client = (user: StandInUser) => {
    const c = new Client4();
    c.setUrl(mm.url);
    c.setToken(user.token);
    return c;
  };

  it('answers Client4 (which sends "BEARER") with exact application/json, 201 on create, AppError on 401', async () => {
    const me = await client(alice).getMe();
    expect(me).toMatchObject({ id: alice.id, username: 'alice' });
    const created = await client(alice).createPost({ channel_id: channel.id, message: 'bonjour' });
    expect(created.user_id).toBe(alice.id);
    expect(mm.requestsTo('POST', /^\/posts$/)[0]?.status).toBe(201);
    const stranger = new Client4();
    stranger.setUrl(mm.url);
    stranger.setToken('nope');
    await expect(stranger.getMe()).rejects.toMatchObject({ status_code: 401, server_error_id: 'api.context.session_expired.app_error' });
  });

  it('reproduces the rate limiter’s text/plain 429, whose status Client4 loses', async () => {
    mm.rateLimit({ path: /^\/users\/me$/ });
    const error = (await client(alice).getMe().catch((caught: unknown) => caught)) as { status_code?: number; message: string };
    expect(error.status_code).toBeUndefined();
    expect(error.message).toBe('');
  });

  it('authenticates a socket by challenge (OK + hello seq 0), answers ping, and ignores a second challenge', async () => {
    const socket = await connectAs(mm, alice, { challenge: true });
    expect(socket.frames[0]).toEqual({ status: 'OK', seq_reply: 1 });
    expect(socket.frames[1]).toMatchObject({ event: 'hello', seq: 0, data: { connection_id: expect.any(String) } });
    socket.send({ action: 'ping', seq: 2 });
    socket.send({ action: 'authentication_challenge', seq: 3, data: { token: alice.token } });
    socket.send({ action: 'nonsense', seq: 4 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(socket.frames.find((frame) => frame.seq_reply === 2)).toMatchObject({ status: 'OK', data: { text: 'pong' } });
    expect(socket.frames.find((frame) => frame.seq_reply === 3)).toBeUndefined();
    expect(socket.frames.find((frame) => frame.seq_reply === 4)).toMatchObject({ status: 'FAIL' });
    socket.close();
  });

  it('sends posted events with a stringified post and mentions only for the mentioned receiver', async () => {
    const aliceSocket = await connectAs(mm, alice);
    const bobSocket = await connectAs(mm, bob);
    mm.postAs(alice, channel, 'Salut @bob');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [forBob] = bobSocket.events('posted') as { data: { post: string; mentions?: string }; seq: number }[];
    const [forAlice] = aliceSocket.events('posted') as { data: { mentions?: string } }[];
    expect(typeof forBob?.data.post).toBe('string');
    expect(JSON.parse(forBob!.data.post)).toMatchObject({ message: 'Salut @bob', user_id: alice.id });
    expect(forBob?.data.mentions).toBe(JSON.stringify([bob.id]));
    expect(forBob?.seq).toBe(1);
    expect(forAlice?.data.mentions).toBeUndefined();
    aliceSocket.close();
    bobSocket.close();
  });

  it('turns a non-JSON slash response into ephemeral text (the sendStatus(200) "OK" trap)', async () => {
    const url = await integrationAnswering(200, 'text/plain; charset=utf-8', 'OK');
    mm.addCommand(team, { trigger: 'test', url });
    const outcome = await mm.executeCommand(alice, channel, '/test');
    expect(outcome.ok).toBe(true);
    expect(outcome.ephemerals[0]?.message).toBe('OK');
  });

  it('fails a slash command answering an empty JSON body or a non-200 status', async () => {
    mm.addCommand(team, { trigger: 'vide', url: await integrationAnswering(200, 'application/json', '') });
    expect((await mm.executeCommand(alice, channel, '/vide')).ok).toBe(false);
    await new Promise<void>((resolve) => integration!.close(() => resolve()));
    mm.addCommand(team, { trigger: 'panne', url: await integrationAnswering(500, 'application/json', '{}') });
    expect((await mm.executeCommand(alice, channel, '/panne')).ok).toBe(false);
  });

  it('posts an in_channel slash response as the invoking user, flagged from_webhook', async () => {
    mm.addCommand(team, { trigger: 'public', url: await integrationAnswering(200, 'application/json', '{"response_type":"in_channel","text":"visible"}') });
    const outcome = await mm.executeCommand(alice, channel, '/public');
    expect(outcome.posts[0]).toMatchObject({ user_id: alice.id, message: 'visible', props: { from_webhook: 'true' } });
  });

  it('refuses an `update` on an ephemeral post, applies it on a stored one, and hides integrations', async () => {
    const url = await integrationAnswering(200, 'application/json', '{"update":{"message":"changé"}}');
    const attachments = [{ actions: [{ id: 'go', type: 'button', name: 'Go', integration: { url, context: { secret: 's' } } }] }];
    mm.addCommand(team, { trigger: 'boutons', url: await (async () => url)() });
    const stored = mm.postAs(alice, channel, 'avec bouton', { props: { attachments } });
    expect(JSON.stringify(stored)).not.toContain('secret');
    expect((await mm.clickButton(bob, stored, 'go')).ok).toBe(true);
    expect(mm.postsIn(channel)[0]?.message).toBe('changé');
    const ephemeral = (mm as unknown as { addEphemeral: (...args: unknown[]) => { id: string } }).addEphemeral(alice.id, channel.id, '', 'éphémère', { attachments });
    const outcome = await mm.clickButton(alice, ephemeral, 'go');
    expect(outcome).toMatchObject({ ok: false, error: 'api.post.update_post.find.app_error' });
    expect((await mm.clickButton(bob, ephemeral, 'go')).ok).toBe(false);
  });

  it('validates trigger ids for dialogs/open (30 s) and needs no session for it', async () => {
    const open = (triggerId: string) =>
      fetch(`${mm.url}/api/v4/actions/dialogs/open`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ trigger_id: triggerId, url: 'http://bot/dialog', dialog: { title: 'T', elements: [] } }),
      });
    expect((await open('forged')).status).toBe(400);
    const trigger = (mm as unknown as { newTrigger: (u: string, c: string) => string }).newTrigger(alice.id, channel.id);
    const opened = await open(trigger);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-type')).toBe('application/json');
    mm.triggerTtlMs = -1;
    expect(await (await open(trigger)).json()).toMatchObject({ id: 'interactive_message.decode_trigger_id.expired' });
  });
});

import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../../src/logger.js';
import { createMattermostClient, MattermostApiError, postToResponseUrl, withRetry } from '../../../src/mattermost/client.js';

const MM = 'http://mm.test';
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const post = { id: 'p1', user_id: 'bot', channel_id: 'c1', root_id: '', message: 'x', type: '', props: {}, create_at: 1, edit_at: 0, delete_at: 0 };
const fast = { attempts: 4, baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 2000 };

describe('Mattermost REST client (Client4 with status-preserving fetch, retries)', () => {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
  });

  const client = (onError?: (kind: string) => void) =>
    createMattermostClient({ url: MM, token: 'bot-token', log: createSilentLogger(), retry: fast, onError });

  it('sends the bot token and retries 5xx with the same pending_post_id', async () => {
    const pending: string[] = [];
    const errors: string[] = [];
    nock(MM)
      .post('/api/v4/posts', (body: { pending_post_id: string }) => Boolean(pending.push(body.pending_post_id)))
      .matchHeader('authorization', /^bearer bot-token$/i)
      .times(2)
      .reply(503, { id: 'x', message: 'down', status_code: 503 }, JSON_HEADERS)
      .post('/api/v4/posts', (body: { pending_post_id: string }) => Boolean(pending.push(body.pending_post_id)))
      .reply(201, post, JSON_HEADERS);
    const created = await client((kind) => errors.push(kind)).createPost({ channelId: 'c1', message: 'x', pendingPostId: 'key-1' });
    expect(created.id).toBe('p1');
    expect(pending).toEqual(['key-1', 'key-1', 'key-1']);
    expect(errors).toEqual(['server', 'server']);
  });

  it('detects a text/plain 429 (Client4 alone would lose its status) and waits for Retry-After', async () => {
    nock(MM)
      .get('/api/v4/users/me')
      .reply(429, 'limit exceeded\n', { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '1' })
      .get('/api/v4/users/me')
      .reply(200, { id: 'bot', username: 'certif-bot' }, JSON_HEADERS);
    const started = Date.now();
    const errors: string[] = [];
    const me = await createMattermostClient({
      url: MM,
      token: 't',
      log: createSilentLogger(),
      retry: { ...fast, maxDelayMs: 400 },
      onError: (kind) => errors.push(kind),
    }).me();
    expect(me.username).toBe('certif-bot');
    expect(errors).toEqual(['rate_limited']);
    // Retry-After 1 s, capped at 3 × maxDelayMs = 1.2 s: far above the 5 ms backoff.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('keeps the status of any non-JSON error and does not retry a 4xx', async () => {
    nock(MM).post('/api/v4/posts').reply(403, { id: 'api.context.permissions.app_error', message: 'no', status_code: 403 }, JSON_HEADERS);
    const error = await client()
      .createPost({ channelId: 'c1', message: 'x' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MattermostApiError);
    expect(error).toMatchObject({ status: 403, serverErrorId: 'api.context.permissions.app_error', retryable: false });

    nock(MM).get('/api/v4/posts/p9').reply(502, '<html>Bad gateway</html>', { 'Content-Type': 'text/html' });
    nock(MM).get('/api/v4/posts/p9').times(3).reply(502, '<html>Bad gateway</html>', { 'Content-Type': 'text/html' });
    await expect(client().getPost('p9')).rejects.toMatchObject({ status: 502 });
  });

  it('retries network errors, then gives up after the last attempt', async () => {
    nock(MM).get('/api/v4/users/me').times(4).replyWithError('socket hang up');
    await expect(client().me()).rejects.toMatchObject({ status: undefined, retryable: true });
    expect(nock.isDone()).toBe(true);
  });

  it('opens a dialog over the route Client4 lacks, without retrying an expired trigger', async () => {
    let body: unknown;
    nock(MM)
      .post('/api/v4/actions/dialogs/open', (received) => Boolean((body = received)))
      .reply(400, { id: 'interactive_message.decode_trigger_id.expired', message: 'expired', status_code: 400 }, JSON_HEADERS);
    await expect(client().openDialog({ trigger_id: 't', url: 'https://bot/d', dialog: { callback_id: 'c', title: 'T', notify_on_cancel: false, state: 's', elements: [] } })).rejects.toMatchObject({
      status: 400,
      serverErrorId: 'interactive_message.decode_trigger_id.expired',
    });
    expect(body).toMatchObject({ trigger_id: 't', url: 'https://bot/d' });
  });

  it('creates the DM channel once, uploads a file as multipart, reads posts since a time', async () => {
    nock(MM)
      .get('/api/v4/users/me')
      .reply(200, { id: 'bot', username: 'certif-bot' }, JSON_HEADERS)
      .post('/api/v4/channels/direct', ['bot', 'alice'])
      .once()
      .reply(201, { id: 'dm1', type: 'D', name: 'alice__bot' }, JSON_HEADERS)
      .post('/api/v4/files', (body: string) => body.includes('name="channel_id"') && body.includes('filename="plan.ics"'))
      .reply(201, { file_infos: [{ id: 'f1' }], client_ids: [] }, JSON_HEADERS)
      .get('/api/v4/channels/c1/posts')
      .query((query) => query.since === '100')
      .reply(200, { order: ['b', 'a'], posts: { a: { ...post, id: 'a', create_at: 101 }, b: { ...post, id: 'b', create_at: 102 } } }, JSON_HEADERS);
    const mm = client();
    expect((await mm.directChannelWith('alice')).id).toBe('dm1');
    expect((await mm.directChannelWith('alice')).id).toBe('dm1');
    expect(await mm.uploadFile('dm1', { name: 'plan.ics', mimeType: 'text/calendar', content: 'BEGIN:VCALENDAR' })).toBe('f1');
    expect((await mm.postsSince('c1', 100)).map((p) => p.id)).toEqual(['a', 'b']);
    expect(mm.websocketUrl()).toBe('ws://mm.test/api/v4/websocket');
  });

  it('posts to a response_url without authentication', async () => {
    nock('http://mm.test').post('/hooks/commands/h1', { response_type: 'ephemeral', text: 'ok' }).reply(200, 'ok');
    await postToResponseUrl('http://mm.test/hooks/commands/h1', { response_type: 'ephemeral', text: 'ok' }, fast);
    nock('http://mm.test').post('/hooks/commands/h2').reply(404, { id: 'web.command_webhook.invalid.app_error' }, JSON_HEADERS);
    await expect(postToResponseUrl('http://mm.test/hooks/commands/h2', {}, fast)).rejects.toMatchObject({ status: 404 });
  });

  it('in-request calls follow the short policy: 2 attempts, the short timeout', async () => {
    nock(MM).post('/api/v4/posts').times(3).reply(503, { id: 'x', message: 'down', status_code: 503 }, JSON_HEADERS);
    const mm = createMattermostClient({ url: MM, token: 't', log: createSilentLogger(), retry: fast, requestRetry: { baseDelayMs: 5, timeoutMs: 150 } });
    await expect(mm.createPost({ channelId: 'c1', message: 'x' }, { inRequest: true })).rejects.toMatchObject({ status: 503 });
    expect(nock.pendingMocks()).toHaveLength(1); // the third reply was never asked for
    nock.cleanAll();

    // A hung server: each attempt is cut at 150 ms (the background timeout here is 2 s).
    nock(MM).get('/api/v4/users/u1').times(2).delay(1500).reply(200, { id: 'u1', username: 'alice' }, JSON_HEADERS);
    const started = Date.now();
    await expect(mm.getUser('u1', { inRequest: true })).rejects.toMatchObject({ status: undefined });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('withRetry keeps to the deadline: no wait for a Retry-After beyond it, attempts cut to what is left', async () => {
    const timeouts: number[] = [];
    const started = Date.now();
    await expect(
      withRetry(
        async (timeoutMs) => {
          timeouts.push(timeoutMs);
          throw new MattermostApiError('429', 429, undefined, 5000);
        },
        { attempts: 5, baseDelayMs: 5, maxDelayMs: 10_000, timeoutMs: 15_000, deadlineMs: 3000 },
      ),
    ).rejects.toMatchObject({ status: 429 });
    expect(timeouts).toHaveLength(1);
    expect(timeouts[0]).toBeLessThanOrEqual(3000);
    expect(Date.now() - started).toBeLessThan(500);

    // An absolute deadline given by the caller (the request's) cuts the policy's budget too.
    const cut: number[] = [];
    await withRetry(async (timeoutMs) => cut.push(timeoutMs), { attempts: 2, baseDelayMs: 5, maxDelayMs: 10, timeoutMs: 5000 }, undefined, Date.now() + 2000);
    expect(cut[0]).toBeLessThanOrEqual(2000);
  });

  it('never retries a response_url POST that may have been processed (timeout, 500), but does after a 429', async () => {
    const policy = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 150 };
    // If the timed-out POST were retried, the second (fast) reply would be used and the call would succeed.
    nock('http://mm.test').post('/hooks/commands/slow').delay(1000).reply(200, 'ok').post('/hooks/commands/slow').reply(200, 'ok');
    await expect(postToResponseUrl('http://mm.test/hooks/commands/slow', { text: 'x' }, policy)).rejects.toMatchObject({ retryable: false });
    expect(nock.pendingMocks()).toHaveLength(1);
    nock.cleanAll();

    nock('http://mm.test').post('/hooks/commands/err').reply(500, 'boom').post('/hooks/commands/err').reply(200, 'ok');
    await expect(postToResponseUrl('http://mm.test/hooks/commands/err', {}, policy)).rejects.toMatchObject({ status: 500 });
    expect(nock.pendingMocks()).toHaveLength(1);
    nock.cleanAll();

    nock('http://mm.test')
      .post('/hooks/commands/busy')
      .reply(429, 'limit exceeded', { 'Retry-After': '0' })
      .post('/hooks/commands/busy')
      .reply(200, 'ok');
    await postToResponseUrl('http://mm.test/hooks/commands/busy', {}, policy);
    expect(nock.isDone()).toBe(true);
  });

  it('withRetry passes non-API errors through at once', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls += 1;
        throw new TypeError('bug');
      }, fast),
    ).rejects.toThrow('bug');
    expect(calls).toBe(1);
  });
});

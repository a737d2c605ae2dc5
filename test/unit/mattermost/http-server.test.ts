import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../../src/app.js';
import { systemClock } from '../../../src/core/clock.js';
import type { Incoming } from '../../../src/core/incoming.js';
import { message } from '../../../src/core/reply.js';
import { loggerOptions } from '../../../src/logger.js';
import { ACTION_ROUTE, COMMAND_ROUTE, createHttpApp, DIALOG_ROUTE } from '../../../src/mattermost/http/server.js';
import type { Responder } from '../../../src/mattermost/respond.js';
import { createSigner } from '../../../src/mattermost/signing.js';

const TOKEN = 'tok3nfortheslashcommand01';
const signer = createSigner('x'.repeat(40), systemClock);

/** The three routes share their ending: one dispatch per request under its own id, the responder's answer, one debug line. */
describe('HTTP routes: dispatch, answer and log', () => {
  let server: Server;
  let url: string;
  let lines: Record<string, unknown>[];
  let dispatched: { incoming: Incoming; requestId?: string }[];

  beforeEach(async () => {
    lines = [];
    dispatched = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const app = {
      router: {
        dispatch: async (incoming: Incoming, options?: { requestId?: string }) => {
          dispatched.push({ incoming, requestId: options?.requestId });
          return message('ok');
        },
      },
    } as unknown as App;
    const responder: Responder = {
      forCommand: async () => ({ response_type: 'ephemeral', text: 'ok' }),
      forAction: async () => ({ ephemeral_text: 'ok' }),
      forDialog: async () => ({}),
      forPost: async () => undefined,
    };
    const http = createHttpApp({
      app,
      log: pino(loggerOptions({ level: 'debug' }), sink),
      signer,
      responder,
      commandTokens: [TOKEN],
      botUserId: () => 'bot',
      usernameOf: async () => 'alice',
      readiness: async () => ({ ready: true, body: {} }),
    });
    server = http.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const answered = () => lines.filter((line) => line.msg === 'mattermost request answered');
  const postJson = (route: string, body: unknown) =>
    fetch(`${url}${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('a slash command', async () => {
    const response = await fetch(`${url}${COMMAND_ROUTE}`, {
      method: 'POST',
      headers: { Authorization: `Token ${TOKEN}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'command=%2Fcertif&text=aide&channel_id=c1&user_id=alice&user_name=alice',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ response_type: 'ephemeral', text: 'ok' });
    expect(dispatched).toHaveLength(1);
    expect(dispatched[0]?.incoming).toMatchObject({ kind: 'command', command: 'certif', text: 'aide' });
    const [line] = answered();
    expect(line).toMatchObject({
      requestId: dispatched[0]?.requestId,
      input: 'command',
      command: 'certif',
      userId: 'alice',
      channelId: 'c1',
      reply: 'message',
      status: 200,
    });
    expect(typeof line?.requestId).toBe('string');
    expect(typeof line?.ms).toBe('number');
  });

  it('a button click', async () => {
    const context = signer.signAction({ action: 'essai.vote', payload: {}, userId: 'alice', channelId: 'c1', origin: 'post', expiresAt: Date.now() + 60_000 });
    const response = await postJson(ACTION_ROUTE, { user_id: 'alice', channel_id: 'c1', context });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ephemeral_text: 'ok' });
    expect(dispatched[0]?.incoming).toMatchObject({ kind: 'action', action: 'essai.vote' });
    expect(answered()[0]).toMatchObject({
      requestId: dispatched[0]?.requestId,
      input: 'action',
      action: 'essai.vote',
      userId: 'alice',
      channelId: 'c1',
      reply: 'message',
      response: 'ephemeral_text',
      status: 200,
    });
  });

  it('a dialog submission', async () => {
    const state = signer.signDialogState({ callbackId: 'essai.form', state: {}, userId: 'alice', channelId: 'c1', expiresAt: Date.now() + 60_000 });
    const response = await postJson(DIALOG_ROUTE, { callback_id: 'essai.form', state, user_id: 'alice', channel_id: 'c1', submission: { nom: 'A' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(dispatched[0]?.incoming).toMatchObject({ kind: 'dialog', callbackId: 'essai.form', user: { id: 'alice', username: 'alice' } });
    expect(answered()[0]).toMatchObject({
      requestId: dispatched[0]?.requestId,
      input: 'dialog',
      callbackId: 'essai.form',
      cancelled: false,
      userId: 'alice',
      channelId: 'c1',
      reply: 'message',
      status: 200,
    });
  });

  it('gives each request its own id', async () => {
    const context = signer.signAction({ action: 'essai.vote', payload: {}, userId: 'alice', channelId: 'c1', origin: 'post', expiresAt: Date.now() + 60_000 });
    await postJson(ACTION_ROUTE, { user_id: 'alice', channel_id: 'c1', context });
    await postJson(ACTION_ROUTE, { user_id: 'alice', channel_id: 'c1', context });
    const ids = answered().map((line) => line.requestId);
    expect(ids).toEqual(dispatched.map((entry) => entry.requestId));
    expect(new Set(ids).size).toBe(2);
  });
});

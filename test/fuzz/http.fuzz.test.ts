import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { createSigner, type ActionContext } from '../../src/mattermost/signing.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { ACTION_SECRET, COMMAND_TOKEN, startWorld, type World } from '../support/bot-harness.js';
import { check, hostileText, isGenericFailure, leaksInternals } from './fuzz-support.js';

/**
 * Hostile input on the real bot's HTTP endpoints (the `startBot` of `certif-bot serve`, wired to the Mattermost
 * stand-in): never a 5xx, never a stack or a file path in a body, and the handlers' generic failure (a bug caught by
 * the router) never shows either. Forged tokens are refused with 401; forged, tampered, expired, replayed-elsewhere
 * button contexts and dialog states with 403.
 */

let world: World;
let actions: readonly string[];
let dialogs: readonly string[];
let commands: readonly string[];
const signer = createSigner(ACTION_SECRET, systemClock);

beforeAll(async () => {
  world = await startWorld({ metrics: createMetrics() });
  actions = world.app.router.actions();
  dialogs = world.app.router.dialogs();
  commands = world.app.router.commands().map((info) => info.name);
}, 30_000);

afterAll(async () => {
  await world?.close();
});

interface Answer {
  status: number;
  text: string;
  json?: unknown;
}

async function post(path: string, body: string | Uint8Array, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${world.bot.url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

const postJson = (path: string, value: unknown) => post(path, JSON.stringify(value), { 'Content-Type': 'application/json' });

function expectSafe(answer: Answer): void {
  expect(answer.status, answer.text).toBeLessThan(500);
  expect(leaksInternals(answer.text), answer.text).toBe(false);
  expect(isGenericFailure(answer.text), answer.text).toBe(false);
}

const form = (fields: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
  return params.toString();
};

const userId = fc.stringMatching(/^[a-z0-9]{26}$/);
const anyJson = fc.jsonValue({ maxDepth: 4 });
const scalar = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.boolean(), fc.constant(null), fc.double());

describe('fuzz: POST /mattermost/command', () => {
  it('answers any form body with 200 or 400, never a 5xx nor a stack', async () => {
    const value = fc.oneof(fc.string({ maxLength: 60 }), fc.array(fc.string({ maxLength: 20 }), { minLength: 2, maxLength: 3 }), hostileText(80));
    const fields = fc.dictionary(
      fc.oneof(
        fc.constantFrom('team_id', 'channel_id', 'channel_name', 'user_id', 'user_name', 'command', 'text', 'trigger_id', 'root_id', 'response_url', 'user_mentions'),
        fc.string({ maxLength: 12 }),
      ),
      value,
      { maxKeys: 12 },
    );
    await check(
      'http command forms',
      fc.asyncProperty(fields, async (body) => {
        const answer = await post('/mattermost/command', form(body), {
          Authorization: `Token ${COMMAND_TOKEN}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        });
        expectSafe(answer);
        expect([200, 400]).toContain(answer.status);
      }),
    );
  });

  it('answers every command with any text, from any user, with a French reply', async () => {
    const words = fc.constantFrom('', 'aide ', 'coche ', 'decoche ', 'fiche ajouter ', 'fiche modifier 1 ', 'fiche supprimer ', 'reset ', 'examen ', 'pix ', 'rappels ', 'calendrier ', 'oublier ', 'profil ', 'mes-donnees ', 'tickets ', 'questions ', 'retours ', 'export ', 'recharger ');
    await check(
      'http command texts',
      fc.asyncProperty(fc.constantFrom(...commands), words, hostileText(200), userId, fc.boolean(), async (command, word, text, user, inDm) => {
        const answer = await post(
          '/mattermost/command',
          form({
            token: COMMAND_TOKEN,
            team_id: world.team.id,
            channel_id: world.channel.id,
            channel_name: inDm ? `${user}__${world.botUser.id}` : world.channel.name,
            user_id: user,
            user_name: 'fuzz',
            command: `/${command}`,
            text: `${word}${text}`,
          }),
          { 'Content-Type': 'application/x-www-form-urlencoded' },
        );
        expectSafe(answer);
        expect(answer.status, answer.text).toBe(200);
      }),
    );
  });

  it('refuses every forged token with 401', async () => {
    const forged = fc.string({ maxLength: 80 }).filter((token) => token !== COMMAND_TOKEN);
    await check(
      'http forged tokens',
      fc.asyncProperty(forged, fc.constantFrom('header', 'form', 'both', 'mismatch'), async (token, where) => {
        // `mismatch`: the right token in the header, another one in the form (an empty form token counts as absent).
        fc.pre(!(where === 'mismatch' && token === ''));
        const headerToken = where === 'mismatch' ? COMMAND_TOKEN : token;
        const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
        // A header value cannot carry control characters: fetch refuses them before sending.
        const headerSafe = /^[\x21-\x7e]+$/.test(headerToken);
        if (where !== 'form' && headerSafe) headers.Authorization = `Token ${headerToken}`;
        const fields: Record<string, string> = { channel_id: world.channel.id, user_id: 'u'.repeat(26), command: '/certif', text: 'aide' };
        if (where !== 'header' || !headerSafe) fields.token = token;
        const answer = await post('/mattermost/command', form(fields), headers);
        expectSafe(answer);
        expect(answer.status, `${where} ${JSON.stringify(token)}`).toBe(401);
      }),
    );
  });
});

describe('fuzz: raw bodies on every endpoint', () => {
  it('answers garbage bytes and content types with a 4xx or 200, never a 5xx nor a stack', async () => {
    await check(
      'http raw bodies',
      fc.asyncProperty(
        fc.constantFrom('/mattermost/command', '/mattermost/action', '/mattermost/dialog'),
        fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'multipart/form-data', ''),
        fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.string({ maxLength: 400 }).map((text) => new TextEncoder().encode(text)), anyJson.map((value) => new TextEncoder().encode(JSON.stringify(value)))),
        fc.boolean(),
        async (route, contentType, body, withToken) => {
          const headers: Record<string, string> = {};
          if (contentType) headers['Content-Type'] = contentType;
          if (withToken) headers.Authorization = `Token ${COMMAND_TOKEN}`;
          const answer = await post(route, body, headers);
          expectSafe(answer);
        },
      ),
    );
  });
});

/** A context as the bot would sign it for `user` in the world's channel. */
function signed(action: string, payload: Record<string, string | number | boolean | null>, user: string, expiresInMs = 60_000): ActionContext {
  return signer.signAction({ action, payload, userId: user, channelId: world.channel.id, origin: 'post', expiresAt: Date.now() + expiresInMs });
}

const actionRequest = (user: string, context: unknown, channelId = world.channel.id) => ({
  user_id: user,
  user_name: 'fuzz',
  channel_id: channelId,
  channel_name: world.channel.name,
  team_id: world.team.id,
  post_id: 'p'.repeat(26),
  trigger_id: '',
  type: '',
  context,
});

type Tamper = (context: ActionContext) => ActionContext;
const tampers: fc.Arbitrary<[string, Tamper]> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }).map((a): [string, Tamper] => ['action', (c) => ({ ...c, a: c.a === a ? `${a}x` : a })]),
  fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), scalar).map(([key, value]): [string, Tamper] => ['payload', (c) => ({ ...c, p: { ...c.p, [key]: value === c.p[key] ? `${String(value)}x` : value } })]),
  userId.map((u): [string, Tamper] => ['user', (c) => ({ ...c, u: u === c.u ? `${u.slice(1)}z` : u })]),
  fc.constant<[string, Tamper]>(['anyone', (c) => ({ ...c, u: '' })]),
  fc.integer({ min: 1, max: 10_000_000 }).map((delta): [string, Tamper] => ['expiry', (c) => ({ ...c, x: c.x + delta })]),
  fc.constant<[string, Tamper]>(['origin', (c) => ({ ...c, o: c.o === 'p' ? 'e' : 'p' })]),
  fc.string({ maxLength: 60 }).map((url): [string, Tamper] => ['response url', (c) => ({ ...c, ru: c.ru === url ? `${url}x` : url })]),
  fc.string({ minLength: 1, maxLength: 60 }).map((s): [string, Tamper] => ['signature', (c) => ({ ...c, s: s === c.s ? `${s}x` : s })]),
);

describe('fuzz: POST /mattermost/action', () => {
  it('refuses any JSON that is not a button click with 400 or 403', async () => {
    const body = fc.oneof(
      anyJson,
      fc.record({ user_id: fc.oneof(userId, fc.string({ maxLength: 80 })), channel_id: fc.string({ maxLength: 80 }), context: anyJson }, { requiredKeys: [] }),
      fc.record({ user_id: userId, channel_id: fc.constant('c'.repeat(26)), context: fc.dictionary(fc.constantFrom('v', 'a', 'p', 'u', 'c', 'r', 'o', 'ru', 'x', 's', 'selected_option'), anyJson) }),
    );
    await check(
      'http action json',
      fc.asyncProperty(body, async (value) => {
        const answer = await postJson('/mattermost/action', value);
        expectSafe(answer);
        expect([400, 403]).toContain(answer.status);
      }),
    );
  });

  it('refuses tampered contexts with 403, expired and replayed-elsewhere ones with a French ephemeral text, and survives any payload the bot signed', async () => {
    const payload = fc.dictionary(fc.oneof(fc.constantFrom('id', 'ticket', 'entry', 'item', 'on', 'n', 'vote', 'q'), fc.string({ maxLength: 8 })), scalar, { maxKeys: 4 });
    await check(
      'http forged contexts',
      fc.asyncProperty(
        fc.constantFrom(...actions),
        payload,
        userId,
        fc.oneof(tampers, fc.constantFrom<[string, undefined]>(['expired', undefined], ['other user', undefined], ['other channel', undefined], ['genuine', undefined])),
        async (action, values, user, [kind, tamper]) => {
          let request;
          if (tamper) request = actionRequest(user, tamper(signed(action, values, user)));
          else if (kind === 'expired') request = actionRequest(user, signed(action, values, user, -1000));
          else if (kind === 'other user') request = actionRequest(`${user.slice(1)}q`, signed(action, values, user));
          else if (kind === 'other channel') request = actionRequest(user, signed(action, values, user), world.bob.id.padEnd(26, 'c'));
          else request = actionRequest(user, signed(action, values, user));
          const answer = await postJson('/mattermost/action', request);
          expectSafe(answer);
          if (kind === 'genuine') expect(answer.status, answer.text).toBe(200);
          else if (tamper) expect(answer.status, `${kind}: ${answer.text}`).toBe(403);
          else {
            // Expired or someone else's: refused, in French, with a 200 (Mattermost shows only a 200's ephemeral_text).
            expect(answer.status, `${kind}: ${answer.text}`).toBe(200);
            expect((JSON.parse(answer.text) as { ephemeral_text?: string }).ephemeral_text).toMatch(/a expiré|n'est pas valable/);
          }
        },
      ),
    );
  });
});

describe('fuzz: POST /mattermost/dialog', () => {
  it('refuses malformed and forged submissions, and answers genuine ones with any content', async () => {
    const submission = fc.dictionary(fc.string({ maxLength: 20 }), fc.oneof(scalar, hostileText(200), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 })), { maxKeys: 6 });
    const state = (callbackId: string, user: string, stateValues: Record<string, string | number | boolean | null>, expiresInMs = 60_000) =>
      signer.signDialogState({ callbackId, state: stateValues, userId: user, channelId: world.channel.id, expiresAt: Date.now() + expiresInMs });
    await check(
      'http dialogs',
      fc.asyncProperty(
        fc.constantFrom(...dialogs),
        userId,
        submission,
        fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }),
        fc.constantFrom('genuine', 'cancelled', 'expired', 'other user', 'other callback', 'tampered', 'random state', 'random json'),
        fc.oneof(anyJson, fc.string({ maxLength: 200 })),
        async (callbackId, user, values, stateValues, kind, noise) => {
          const base = { type: 'dialog_submission', callback_id: callbackId, user_id: user, channel_id: world.channel.id, team_id: world.team.id, submission: values, cancelled: kind === 'cancelled' };
          let body: unknown;
          if (kind === 'genuine' || kind === 'cancelled') body = { ...base, state: state(callbackId, user, stateValues) };
          else if (kind === 'expired') body = { ...base, state: state(callbackId, user, stateValues, -1000) };
          else if (kind === 'other user') body = { ...base, state: state(callbackId, `${user.slice(1)}q`, stateValues) };
          else if (kind === 'other callback') body = { ...base, state: state(`${callbackId}x`, user, stateValues) };
          else if (kind === 'tampered') {
            const genuine = state(callbackId, user, stateValues);
            const [head = '', mac = ''] = genuine.split('.');
            body = { ...base, state: `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(head, 'base64url').toString()), st: { admin: true } })).toString('base64url')}.${mac}` };
          } else if (kind === 'random state') body = { ...base, state: typeof noise === 'string' ? noise : JSON.stringify(noise) };
          else body = noise;
          const answer = await postJson('/mattermost/dialog', body);
          expectSafe(answer);
          if (kind === 'genuine' || kind === 'cancelled') expect(answer.status, answer.text).toBe(200);
          else if (kind === 'random json') expect([400, 403]).toContain(answer.status);
          else if (kind === 'random state') expect([400, 403]).toContain(answer.status);
          else if (kind === 'expired' || kind === 'other user') {
            // Refused, in French, with a 200: Mattermost shows a dialog's `error` only in a 200 answer.
            expect(answer.status, `${kind}: ${answer.text}`).toBe(200);
            expect((JSON.parse(answer.text) as { error?: string }).error).toMatch(/a expiré|n'est pas valable/);
          } else expect(answer.status, `${kind}: ${answer.text}`).toBe(403);
        },
      ),
      { weight: 1.5 },
    );
  });
});

describe('fuzz: GET /readyz and GET /metrics', () => {
  it('answer any query and headers, after any input, without a path, a stack or what users typed', async () => {
    const query = fc.oneof(fc.constant(''), fc.string({ maxLength: 40 }).map((text) => `?${encodeURIComponent(text)}`), fc.constantFrom('?format=json', '?../../etc/passwd', '?%00', '?name[]=x'));
    const header = fc.constantFrom<Record<string, string>>({}, { Accept: 'application/json' }, { Accept: 'text/plain' }, { 'Accept-Encoding': 'gzip' }, { Authorization: 'Token x' });
    await check(
      'http probes and metrics',
      fc.asyncProperty(hostileText(120), userId, fc.constantFrom(...commands), query, header, async (text, user, command, suffix, headers) => {
        // Some input first, so that the probes and counters move; its text must never show in them.
        const marker = `zq${user.slice(0, 10)}`;
        await post(
          '/mattermost/command',
          form({ token: COMMAND_TOKEN, team_id: world.team.id, channel_id: world.channel.id, user_id: user, user_name: 'fuzz', command: `/${command}`, text: `${text} ${marker}` }),
          { 'Content-Type': 'application/x-www-form-urlencoded' },
        );
        const ready = await fetch(`${world.bot.url}/readyz${suffix}`, { headers });
        const readyText = await ready.text();
        expect([200, 503]).toContain(ready.status);
        expect(leaksInternals(readyText), readyText).toBe(false);
        expect(readyText).not.toContain(world.dataDir);
        expect(['ready', 'not_ready']).toContain((JSON.parse(readyText) as { status: string }).status);

        const metrics = await fetch(`${world.bot.url}/metrics${suffix}`, { headers });
        const metricsText = await metrics.text();
        expect(metrics.status).toBe(200);
        expect(metricsText).not.toContain(marker);
        expect(metricsText).not.toContain(world.dataDir);
        // The Prometheus text format, line by line: comments, or a sample with its labels and a number.
        for (const line of metricsText.split('\n').filter((line) => line !== '')) {
          expect(line, line).toMatch(/^(# (HELP|TYPE) [a-zA-Z_:][\w:]* .*|[a-zA-Z_:][\w:]*(\{([a-zA-Z_]\w*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[\d.e+-]+|[Nn]a[Nn]|[+-]Inf)( \d+)?)$/);
        }
      }),
      { weight: 0.5 },
    );
  });
});

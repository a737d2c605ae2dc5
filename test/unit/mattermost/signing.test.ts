import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.js';
import {
  createSigner,
  DIALOG_STATE_TTL_MS,
  EPHEMERAL_BUTTON_TTL_MS,
  GrantRejectedError,
  POST_BUTTON_TTL_MS,
  resolveActionSecret,
  safeEqual,
  tokenMatcher,
  type ActionGrant,
  type DialogGrant,
  type Signer,
} from '../../../src/mattermost/signing.js';

const SECRET = 'x'.repeat(40);
const NOW = '2026-11-23T09:00:00Z';
const grant = (overrides: Partial<ActionGrant> = {}): ActionGrant => ({
  action: 'faq.feedback',
  payload: { useful: true, questionId: 42 },
  userId: 'alice',
  channelId: 'town',
  rootId: 'root1',
  origin: 'ephemeral',
  responseUrl: 'https://mm.example.org/hooks/commands/abc',
  expiresAt: new Date(NOW).getTime() + 60_000,
  ...overrides,
});

const rejection = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof GrantRejectedError) return error.reason;
    throw error;
  }
  return 'accepted';
};

describe('signed button contexts', () => {
  const clock = fixedClock(NOW);
  // Created in each test, not when the file is collected, so that every change to createSigner is seen by a test.
  let signer: Signer;
  beforeEach(() => {
    signer = createSigner(SECRET, clock);
  });
  const click = { userId: 'alice', channelId: 'town' };

  it('round-trips, whatever the order of payload keys, and passes the menu choice apart', () => {
    const context = signer.signAction(grant());
    const reordered = { ...context, p: { questionId: 42, useful: true } };
    expect(signer.verifyAction({ ...reordered, selected_option: 'b' }, click)).toMatchObject({
      action: 'faq.feedback',
      payload: { useful: true, questionId: 42 },
      origin: 'ephemeral',
      rootId: 'root1',
      responseUrl: 'https://mm.example.org/hooks/commands/abc',
      selectedOption: 'b',
    });
  });

  it('rejects tampering with any signed part', () => {
    const context = signer.signAction(grant());
    expect(rejection(() => signer.verifyAction({ ...context, a: 'admin.delete' }, click))).toBe('forged');
    expect(rejection(() => signer.verifyAction({ ...context, p: { useful: false, questionId: 42 } }, click))).toBe('forged');
    expect(rejection(() => signer.verifyAction({ ...context, o: 'p' }, click))).toBe('forged');
    expect(rejection(() => signer.verifyAction({ ...context, ru: 'http://evil.example/' }, click))).toBe('forged');
    expect(rejection(() => signer.verifyAction({ ...context, x: context.x + 86_400 }, click))).toBe('forged');
    expect(rejection(() => signer.verifyAction({ ...context, u: 'bob' }, { userId: 'bob', channelId: 'town' }))).toBe('forged');
    expect(rejection(() => signer.verifyAction({ action: 'faq.feedback' }, click))).toBe('malformed');
    expect(rejection(() => signer.verifyAction(null, click))).toBe('malformed');
  });

  it('rejects another user, another channel, and an expired context', () => {
    const context = signer.signAction(grant());
    expect(rejection(() => signer.verifyAction(context, { userId: 'bob', channelId: 'town' }))).toBe('wrong_user');
    expect(rejection(() => signer.verifyAction(context, { userId: 'alice', channelId: 'elsewhere' }))).toBe('wrong_channel');
    const later = createSigner(SECRET, fixedClock('2026-11-23T09:01:01Z'));
    expect(rejection(() => later.verifyAction(context, click))).toBe('expired');
  });

  it('lets anyone in the channel click a channel-scoped button, nobody elsewhere', () => {
    const context = signer.signAction(grant({ userId: undefined }));
    expect(rejection(() => signer.verifyAction(context, { userId: 'bob', channelId: 'town' }))).toBe('accepted');
    expect(rejection(() => signer.verifyAction(context, { userId: 'bob', channelId: 'other' }))).toBe('wrong_channel');
  });

  it('refuses a context signed with another secret, and never accepts a context as a dialog state', () => {
    const foreign = createSigner('y'.repeat(40), clock).signAction(grant());
    expect(rejection(() => signer.verifyAction(foreign, click))).toBe('forged');
    const state = signer.signDialogState({ callbackId: 'cb', state: { step: 1 }, userId: 'alice', channelId: 'town', expiresAt: grant().expiresAt });
    const submit = { userId: 'alice', channelId: 'town', callbackId: 'cb' };
    expect(signer.verifyDialogState(state, submit)).toMatchObject({ state: { step: 1 }, callbackId: 'cb' });
    expect(rejection(() => signer.verifyDialogState(state, { ...submit, userId: 'bob' }))).toBe('wrong_user');
    expect(rejection(() => signer.verifyDialogState(state, { ...submit, callbackId: 'other' }))).toBe('forged');
    expect(rejection(() => signer.verifyDialogState(`${state}x`, submit))).toBe('forged');
    expect(rejection(() => signer.verifyDialogState('garbage', submit))).toBe('malformed');
    const [body] = state.split('.');
    expect(rejection(() => signer.verifyDialogState(`${body}.${signer.signAction(grant()).s}`, submit))).toBe('forged');
  });
});

describe('what a stale, misdirected or forged button cannot do', () => {
  const at = (iso: string) => createSigner(SECRET, fixedClock(iso));
  const click = { userId: 'alice', channelId: 'town' };
  const plus = (ms: number) => new Date(new Date(NOW).getTime() + ms).toISOString();

  it('refuses a button at the exact instant it expires, and accepts it one millisecond before', () => {
    const context = at(NOW).signAction(grant({ expiresAt: new Date('2026-11-23T09:01:00Z').getTime() }));
    expect(rejection(() => at('2026-11-23T09:00:59.999Z').verifyAction(context, click))).toBe('accepted');
    expect(rejection(() => at('2026-11-23T09:01:00Z').verifyAction(context, click))).toBe('expired');
  });

  it.each([
    ['an ephemeral reply', EPHEMERAL_BUTTON_TTL_MS, 24],
    ['a post (a reminder may be clicked weeks later)', POST_BUTTON_TTL_MS, 30 * 24],
  ])('keeps a button on %s working for its whole lifetime, and refuses it afterwards', (_, ttl, hours) => {
    const context = at(NOW).signAction(grant({ expiresAt: new Date(NOW).getTime() + ttl }));
    expect(rejection(() => at(plus(hours * 3_600_000 - 1_000)).verifyAction(context, click))).toBe('accepted');
    expect(rejection(() => at(plus(hours * 3_600_000)).verifyAction(context, click))).toBe('expired');
  });

  it('refuses a button signed for nobody (neither a user nor a channel)', () => {
    const context = at(NOW).signAction(grant({ userId: undefined, channelId: undefined }));
    expect(rejection(() => at(NOW).verifyAction(context, click))).toBe('forged');
  });

  it('lets the one user click a button signed for her alone, from any channel, and nobody else', () => {
    const context = at(NOW).signAction(grant({ channelId: undefined }));
    expect(at(NOW).verifyAction(context, { userId: 'alice', channelId: 'direct-message' })).toMatchObject({ userId: 'alice', channelId: undefined });
    expect(rejection(() => at(NOW).verifyAction(context, { userId: 'bob', channelId: 'direct-message' }))).toBe('wrong_user');
  });

  it('tells where the button lives, as signed: an ephemeral reply or a post', () => {
    const signer = at(NOW);
    expect(signer.verifyAction(signer.signAction(grant({ origin: 'post' })), click).origin).toBe('post');
    expect(signer.verifyAction(signer.signAction(grant({ origin: 'ephemeral' })), click).origin).toBe('ephemeral');
  });

  it('gives back exactly what was signed, and nothing for what was not', () => {
    const signer = at(NOW);
    const full = grant({ expiresAt: new Date('2026-11-24T09:00:00Z').getTime() });
    expect(signer.verifyAction(signer.signAction(full), click)).toStrictEqual(full);
    const bare = grant({ channelId: undefined, rootId: undefined, responseUrl: undefined, origin: 'post' });
    expect(signer.verifyAction(signer.signAction(bare), click)).toStrictEqual(bare);
    const channelOnly = grant({ userId: undefined });
    expect(signer.verifyAction(signer.signAction(channelOnly), { userId: 'bob', channelId: 'town' })).toStrictEqual(channelOnly);
  });

  it('verifies a payload whatever the order of its keys', () => {
    const signer = at(NOW);
    const payload = { step: 2, done: false, label: 'b', note: null };
    const context = signer.signAction(grant({ payload }));
    const entries = Object.entries(payload);
    const orders = entries.flatMap((first) =>
      entries.filter((second) => second !== first).flatMap((second) => {
        const rest = entries.filter((entry) => entry !== first && entry !== second);
        return [[first, second, ...rest], [first, second, ...rest.reverse()]];
      }),
    );
    expect(orders).toHaveLength(24);
    for (const order of orders) expect(signer.verifyAction({ ...context, p: Object.fromEntries(order) }, click).payload).toEqual(payload);
  });

  it('accepts a button posted by an earlier version of the bot (same secret): an upgrade breaks no button', () => {
    const posted = {
      v: 1,
      a: 'faq.feedback',
      p: { useful: true, questionId: 42 },
      u: 'alice',
      c: 'town',
      r: 'root1',
      o: 'p',
      ru: 'https://mm.example.org/hooks/commands/abc',
      x: 1796083200,
      s: 'eQdjq0IJTo-UgnjflizM6CQE4c58o7XDE31yHXHQVSM',
    };
    expect(at(NOW).verifyAction(posted, click)).toMatchObject({ action: 'faq.feedback', origin: 'post', expiresAt: Date.parse('2026-12-01T00:00:00Z') });
  });

  it('names the rejection in what the logs show', () => {
    const context = at(NOW).signAction(grant());
    let caught: unknown;
    try {
      at('2026-11-24T09:00:00Z').verifyAction(context, click);
    } catch (error) {
      caught = error;
    }
    expect(String(caught)).toBe('GrantRejectedError: signed context rejected: expired');
  });
});

describe('signed dialog states', () => {
  const at = (iso: string) => createSigner(SECRET, fixedClock(iso));
  const submit = { userId: 'alice', channelId: 'town', callbackId: 'cb' };
  const dialog = (overrides: Partial<DialogGrant> = {}): DialogGrant => ({
    callbackId: 'cb',
    state: { step: 1, ticket: 'T-7' },
    userId: 'alice',
    channelId: 'town',
    rootId: 'root1',
    responseUrl: 'https://mm.example.org/hooks/commands/abc',
    expiresAt: new Date('2026-11-23T09:01:00Z').getTime(),
    ...overrides,
  });

  it('refuses an expired dialog state, from the exact instant it expires', () => {
    const state = at(NOW).signDialogState(dialog());
    expect(rejection(() => at('2026-11-23T09:00:59.999Z').verifyDialogState(state, submit))).toBe('accepted');
    expect(rejection(() => at('2026-11-23T09:01:00Z').verifyDialogState(state, submit))).toBe('expired');
    expect(rejection(() => at('2026-12-23T09:00:00Z').verifyDialogState(state, submit))).toBe('expired');
  });

  it('keeps a dialog open for a day, not longer', () => {
    const state = at(NOW).signDialogState(dialog({ expiresAt: new Date(NOW).getTime() + DIALOG_STATE_TTL_MS }));
    expect(rejection(() => at('2026-11-24T08:59:59Z').verifyDialogState(state, submit))).toBe('accepted');
    expect(rejection(() => at('2026-11-24T09:00:00Z').verifyDialogState(state, submit))).toBe('expired');
  });

  it('refuses a dialog submitted from another channel, and accepts one signed without a channel from anywhere', () => {
    const signer = at(NOW);
    expect(rejection(() => signer.verifyDialogState(signer.signDialogState(dialog()), { ...submit, channelId: 'elsewhere' }))).toBe('wrong_channel');
    const anywhere = signer.signDialogState(dialog({ channelId: undefined }));
    expect(rejection(() => signer.verifyDialogState(anywhere, { ...submit, channelId: 'elsewhere' }))).toBe('accepted');
  });

  it('refuses a dialog state signed for no user', () => {
    const signer = at(NOW);
    expect(rejection(() => signer.verifyDialogState(signer.signDialogState(dialog({ userId: '' })), { ...submit, userId: '' }))).toBe('malformed');
  });

  it('refuses a state with nothing before its signature', () => {
    const signer = at(NOW);
    const [, signature] = signer.signDialogState(dialog()).split('.');
    expect(rejection(() => signer.verifyDialogState(`.${signature}`, submit))).toBe('malformed');
  });

  it('gives back exactly what was signed, and nothing for what was not', () => {
    const signer = at(NOW);
    expect(signer.verifyDialogState(signer.signDialogState(dialog()), submit)).toStrictEqual(dialog());
    const bare = dialog({ channelId: undefined, rootId: undefined, responseUrl: undefined });
    expect(signer.verifyDialogState(signer.signDialogState(bare), submit)).toStrictEqual(bare);
  });

  it('accepts a dialog state signed by an earlier version of the bot (same secret)', () => {
    const state =
      'eyJ2IjoxLCJjYiI6ImNiIiwic3QiOnsic3RlcCI6MX0sInUiOiJhbGljZSIsImMiOiJ0b3duIiwiciI6InJvb3QxIiwicnUiOiJodHRwczovL21tLmV4YW1wbGUub3JnL2hvb2tzL2NvbW1hbmRzL2FiYyIsIngiOjE3OTYwODMyMDB9' +
      '.KFE7XQfabtUjiYqSsVlllFPxAXYYfCym-DX3l-EPZq0';
    expect(at(NOW).verifyDialogState(state, submit)).toMatchObject({ state: { step: 1 }, rootId: 'root1', expiresAt: Date.parse('2026-12-01T00:00:00Z') });
  });
});

describe('the action secret', () => {
  it('uses ACTION_SECRET when set, otherwise generates one kept in DATA_DIR/action-secret (0600)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'certif-secret-'));
    try {
      expect(resolveActionSecret({ actionSecret: SECRET, dataDir: dir })).toBe(SECRET);
      const generated = resolveActionSecret({ dataDir: dir });
      expect(generated.length).toBeGreaterThanOrEqual(32);
      const file = path.join(dir, 'action-secret');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(resolveActionSecret({ dataDir: dir })).toBe(generated);
      writeFileSync(file, 'short');
      const replaced = resolveActionSecret({ dataDir: dir });
      expect(replaced).not.toBe('short');
      expect(readFileSync(file, 'utf8').trim()).toBe(replaced);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a stored secret of 32 characters, and says in the log when it generates or replaces one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'certif-secret-'));
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const log = pino({ level: 'info' }, sink);
    try {
      const file = path.join(dir, 'action-secret');
      const generated = resolveActionSecret({ dataDir: dir, log });
      // The log names the file, never its absolute path (issue 16).
      expect(lines).toMatchObject([{ file: 'action-secret', msg: 'generated the action secret (ACTION_SECRET not set)' }]);
      writeFileSync(file, 'k'.repeat(32));
      expect(resolveActionSecret({ dataDir: dir, log })).toBe('k'.repeat(32));
      writeFileSync(file, 'k'.repeat(31));
      expect(resolveActionSecret({ dataDir: dir, log })).not.toBe(generated);
      expect(lines.slice(1)).toMatchObject([
        { file: 'action-secret', msg: 'action secret file is too short: generating a new one' },
        { file: 'action-secret', msg: 'generated the action secret (ACTION_SECRET not set)' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('token comparison', () => {
  it('safeEqual tells equal strings from different ones, whatever their lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });

  it('tokenMatcher accepts every configured token and nothing else', () => {
    const known = tokenMatcher(['first-token-0123456789', 'second-token-abcdefghij']);
    expect(known('first-token-0123456789')).toBe(true);
    expect(known('second-token-abcdefghij')).toBe(true);
    expect(known('first-token-012345678')).toBe(false);
    expect(known('first-token-01234567890')).toBe(false);
    expect(known('')).toBe(false);
    expect(tokenMatcher([])('anything')).toBe(false);
  });
});

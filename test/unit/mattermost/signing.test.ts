import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.js';
import { createSigner, GrantRejectedError, resolveActionSecret, safeEqual, tokenMatcher, type ActionGrant } from '../../../src/mattermost/signing.js';

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
  const signer = createSigner(SECRET, clock);
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

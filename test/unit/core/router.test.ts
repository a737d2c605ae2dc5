import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/core/clock.js';
import { UserFacingError } from '../../../src/core/errors.js';
import { CONSOLE_CONVERSATION, CONSOLE_USER, type Incoming } from '../../../src/core/incoming.js';
import { message } from '../../../src/core/reply.js';
import { createConcurrencyGuard, createRateLimiter } from '../../../src/core/guards.js';
import { BUSY_TEXT, CLICKS_RATE_LIMITED_TEXT, RATE_LIMITED_TEXT, createRouter } from '../../../src/core/router.js';
import { createSilentLogger } from '../../../src/logger.js';

const base = { transport: 'console' as const, user: CONSOLE_USER, conversation: CONSOLE_CONVERSATION };
const command = (name: string, text: string): Incoming => ({ ...base, kind: 'command', command: name, text });

function aRouter() {
  return createRouter({ log: createSilentLogger(), clock: fixedClock('2026-11-23T10:00:00Z') });
}

describe('router', () => {
  it('routes commands, and subcommands by their first word whatever the case and accents', async () => {
    const router = aRouter();
    router.command({ name: 'certif', description: '', hint: '' }, (input) => message(`main:${input.text}`));
    router.subcommand('certif', ['aide', 'help'], (input) => message(`aide:${input.subcommand}:${input.text}`));
    expect(await router.dispatch(command('certif', 'délai ccp1'))).toMatchObject({ text: 'main:délai ccp1' });
    expect(await router.dispatch(command('CERTIF', 'AIDE  moi'))).toMatchObject({ text: 'aide:aide:moi' });
  });

  it('answers in French for an unknown command, action or dialog', async () => {
    const router = aRouter();
    expect(await router.dispatch(command('nope', ''))).toMatchObject({ text: expect.stringContaining("n'existe pas") });
    expect(await router.dispatch({ ...base, kind: 'action', action: 'x', payload: {} })).toMatchObject({
      text: expect.stringContaining('plus valable'),
    });
    expect(
      await router.dispatch({ ...base, kind: 'dialog', callbackId: 'x', state: {}, submission: {}, cancelled: false }),
    ).toMatchObject({ text: expect.stringContaining('plus valable') });
  });

  it('turns a crash into a French apology with a reference, and a refusal into its own message', async () => {
    const router = aRouter();
    router.command({ name: 'boom', description: '', hint: '' }, () => {
      throw new Error('kaboom');
    });
    router.command({ name: 'no', description: '', hint: '' }, () => {
      throw new UserFacingError('Date invalide.');
    });
    const crash = await router.dispatch(command('boom', ''), { requestId: 'abcdef1234' });
    expect(crash).toMatchObject({ type: 'message', text: expect.stringContaining('abcdef12') });
    expect(JSON.stringify(crash)).not.toContain('kaboom');
    expect(await router.dispatch(command('no', ''))).toMatchObject({ text: 'Date invalide.' });
  });

  it('refuses to register the same name twice', () => {
    const router = aRouter();
    router.action('a', () => message('x'));
    expect(() => router.action('a', () => message('y'))).toThrow(/twice/);
  });

  it('passes the clock time to handlers', async () => {
    const router = aRouter();
    router.command({ name: 't', description: '', hint: '' }, (_input, ctx) => message(ctx.now.toISOString()));
    expect(await router.dispatch(command('t', ''))).toMatchObject({ text: '2026-11-23T10:00:00.000Z' });
  });
});

/** Typed in Mattermost: the rate limit applies (the console is exempt). */
const chatCommand = (name: string, text: string): Incoming => ({ ...command(name, text), transport: 'mattermost' });

describe('router guards', () => {
  it('limits typed inputs per user, not clicks, and lets the user go on after a minute', async () => {
    const clock = fixedClock('2026-11-23T10:00:00Z');
    const router = createRouter({ log: createSilentLogger(), clock, rateLimiter: createRateLimiter({ perMinute: 2 }) });
    router.command({ name: 'c', description: '', hint: '' }, () => message('ok'));
    router.action('click', () => message('clicked'));
    expect(await router.dispatch(chatCommand('c', ''))).toMatchObject({ text: 'ok' });
    expect(await router.dispatch(chatCommand('c', ''))).toMatchObject({ text: 'ok' });
    expect(await router.dispatch(chatCommand('c', ''))).toMatchObject({ text: RATE_LIMITED_TEXT, meta: { refused: 'rate_limited' } });
    expect(await router.dispatch({ ...base, kind: 'action', action: 'click', payload: {} })).toMatchObject({ text: 'clicked' });
    const other: Incoming = { ...base, transport: 'mattermost', user: { id: 'someone-else', username: 'bob' }, kind: 'command', command: 'c', text: '' };
    expect(await router.dispatch(other)).toMatchObject({ text: 'ok' });
    clock.advance(60_000);
    expect(await router.dispatch(chatCommand('c', ''))).toMatchObject({ text: 'ok' });
  });

  it('limits clicks and dialog submissions from Mattermost with their own budget, and runs no handler for them', async () => {
    const clock = fixedClock('2026-11-23T10:00:00Z');
    const router = createRouter({
      log: createSilentLogger(),
      clock,
      rateLimiter: createRateLimiter({ perMinute: 1 }),
      clickRateLimiter: createRateLimiter({ perMinute: 3 }),
    });
    let handled = 0;
    router.action('click', () => message(`clicked ${(handled += 1)}`));
    router.dialog('form', () => message(`submitted ${(handled += 1)}`));
    const click: Incoming = { ...base, transport: 'mattermost', kind: 'action', action: 'click', payload: {} };
    const submit: Incoming = { ...base, transport: 'mattermost', kind: 'dialog', callbackId: 'form', state: {}, submission: {}, cancelled: false };
    const replies = [];
    for (let time = 0; time < 250; time += 1) replies.push(await router.dispatch(time % 2 ? submit : click));
    expect(handled).toBe(3);
    expect(replies.slice(3).every((reply) => reply.type === 'message' && reply.text === CLICKS_RATE_LIMITED_TEXT && reply.meta?.refused === 'rate_limited')).toBe(true);
    // The console is the operator's own terminal: never limited.
    expect(await router.dispatch({ ...click, transport: 'console' })).toMatchObject({ text: 'clicked 4' });
    clock.advance(60_000);
    expect(await router.dispatch(click)).toMatchObject({ text: 'clicked 5' });
  });

  it('refuses politely when too many inputs are in flight, and frees the slot afterwards', async () => {
    const concurrency = createConcurrencyGuard(1);
    const router = createRouter({ log: createSilentLogger(), clock: fixedClock('2026-11-23T10:00:00Z'), concurrency });
    let finish: () => void = () => undefined;
    router.command({ name: 'slow', description: '', hint: '' }, () => new Promise((resolve) => (finish = () => resolve(message('done')))));
    const first = router.dispatch(command('slow', ''));
    expect(await router.dispatch(command('slow', ''))).toMatchObject({ text: BUSY_TEXT });
    finish();
    expect(await first).toMatchObject({ text: 'done' });
    expect(concurrency.inFlight).toBe(0);
  });

  it('reports every handled input to the observer with its duration', async () => {
    const seen: string[] = [];
    const router = createRouter({
      log: createSilentLogger(),
      clock: fixedClock('2026-11-23T10:00:00Z'),
      observe: (incoming, reply, durationMs) => seen.push(`${incoming.kind}:${reply.type}:${durationMs >= 0}`),
    });
    await router.dispatch(command('missing', ''));
    expect(seen).toEqual(['command:message:true']);
  });
});

describe('storage failures', () => {
  it('tells the user plainly that nothing could be saved when SQLite refuses to write', async () => {
    const router = aRouter();
    router.command({ name: 'plein', description: '', hint: '' }, () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    });
    const reply = await router.dispatch(command('plein', ''));
    expect(reply).toMatchObject({ type: 'message', text: expect.stringContaining("votre demande n'a pas abouti") });
    expect(JSON.stringify(reply)).not.toContain('disk is full');
  });
});

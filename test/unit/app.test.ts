import { describe, expect, it } from 'vitest';
import { RATE_LIMITED_TEXT } from '../../src/core/router.js';
import type { Incoming } from '../../src/core/incoming.js';
import { aCommand as aConsoleCommand, aUser, anAction, createTestApp } from '../support/test-app.js';

const aCommand = (command: string, text = '', overrides: Partial<Extract<Incoming, { kind: 'command' }>> = {}) =>
  aConsoleCommand(command, text, { transport: 'mattermost', ...overrides });

describe('composition root', () => {
  it('applies the per-user rate limit from the configuration to typed inputs only', async () => {
    const app = createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '2' } });
    const texts: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const reply = await app.router.dispatch(aCommand('inconnue', 'x'));
      texts.push(reply.type === 'message' ? reply.text : reply.type);
    }
    expect(texts[0]).not.toBe(RATE_LIMITED_TEXT);
    expect(texts[1]).not.toBe(RATE_LIMITED_TEXT);
    expect(texts[2]).toBe(RATE_LIMITED_TEXT);

    // Another user is not affected; a button click is never limited.
    const bob = await app.router.dispatch(aCommand('inconnue', 'x', { user: aUser({ id: 'user-bob', username: 'bob' }) }));
    expect(bob.type === 'message' && bob.text).not.toBe(RATE_LIMITED_TEXT);
    const click = await app.router.dispatch(anAction('bouton.inconnu'));
    expect(click.type === 'message' && click.text).not.toBe(RATE_LIMITED_TEXT);

    // A minute later the bucket has refilled.
    app.clock.advance(60_000);
    const later = await app.router.dispatch(aCommand('inconnue', 'x'));
    expect(later.type === 'message' && later.text).not.toBe(RATE_LIMITED_TEXT);
    await app.close();
  });

  it('never limits the console, which is the operator\'s own terminal', async () => {
    const app = createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1' } });
    for (let i = 0; i < 5; i += 1) {
      const reply = await app.router.dispatch(aConsoleCommand('inconnue'));
      expect(reply.type === 'message' && reply.text).not.toBe(RATE_LIMITED_TEXT);
    }
    await app.close();
  });

  it('counts refused inputs in the metrics', async () => {
    const app = createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1' } });
    await app.router.dispatch(aCommand('inconnue'));
    await app.router.dispatch(aCommand('inconnue'));
    expect(await app.metrics.render()).toMatch(/certif_bot_inputs_refused_total\{reason="rate_limited"\} 1/);
    await app.close();
  });
});

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { aCommand, aMessage, anAction, aDialogSubmission, aUser, createTestApp } from '../support/test-app.js';
import { check, hostileText, isGenericFailure, leaksInternals, replyText } from './fuzz-support.js';

/**
 * Hostile input straight into the router of the real app (every feature registered, SQLite in memory): free-text
 * messages (the FAQ), every command with any text, every action and dialog with any payload. Each reply is French,
 * never the generic failure (a handler that threw), never a stack.
 */

const app = createTestApp();
afterAll(() => app.close());

const users = fc.constantFrom('user-alice', 'user-bob', 'user-carol').map((id) => aUser({ id, username: id.slice(5) }));
const scalar = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.boolean(), fc.constant(null), fc.double());
const payload = fc.dictionary(fc.oneof(fc.constantFrom('id', 'ticket', 'entry', 'item', 'on', 'n', 'vote', 'q', 'selected_option'), fc.string({ maxLength: 8 })), scalar, { maxKeys: 4 });

function expectFine(reply: unknown): void {
  const text = replyText(reply as Parameters<typeof replyText>[0]);
  expect(isGenericFailure(text), text).toBe(false);
  expect(leaksInternals(text), text).toBe(false);
}

describe('fuzz: router with every feature', () => {
  it('answers any free-text message (FAQ) and any command text', async () => {
    const commands = app.router.commands().map((info) => info.name);
    const input = fc.oneof(
      fc.tuple(hostileText(400), users).map(([text, user]) => aMessage(text, { user })),
      fc.tuple(fc.constantFrom(...commands), hostileText(200), users).map(([command, text, user]) => aCommand(command, text, { user })),
    );
    await check(
      'router messages and commands',
      fc.asyncProperty(input, fc.integer({ min: 0, max: 30 * 24 * 60 }), async (incoming, minutes) => {
        app.clock.advance(minutes * 60_000);
        expectFine(await app.router.dispatch(incoming));
      }),
      { weight: 2 },
    );
  });

  it('answers any action and dialog with any payload, state and submission', async () => {
    const input = fc.oneof(
      fc.tuple(fc.constantFrom(...app.router.actions()), payload, users).map(([action, values, user]) => anAction(action, values, { user })),
      fc
        .tuple(fc.constantFrom(...app.router.dialogs()), fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(scalar, hostileText(100)), { maxKeys: 5 }), payload, fc.boolean(), users)
        .map(([callbackId, submission, state, cancelled, user]) => ({ ...aDialogSubmission(callbackId, submission, { user, cancelled }), state })),
    );
    await check(
      'router actions and dialogs',
      fc.asyncProperty(input, async (incoming) => {
        expectFine(await app.router.dispatch(incoming));
      }),
    );
  });
});

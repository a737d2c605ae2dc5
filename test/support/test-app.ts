import { createApp, type App } from '../../src/app.js';
import { fixedClock } from '../../src/core/clock.js';
import type { Clock } from '../../src/core/clock.js';
import { CONSOLE_CONVERSATION, type Incoming, type UserRef } from '../../src/core/incoming.js';
import type { Notifier } from '../../src/core/notifier.js';
import { loadConfig } from '../../src/config.js';
import { createSilentLogger } from '../../src/logger.js';
import { createRecordingNotifier } from './recording-notifier.js';

export interface TestApp extends App {
  clock: ReturnType<typeof fixedClock>;
  notifier: ReturnType<typeof createRecordingNotifier>;
}

/** The real app (real router, real features, real SQLite in memory unless a file is given), no transport. */
export function createTestApp(options: { env?: Record<string, string>; now?: string; databaseFile?: string; notifier?: Notifier } = {}): TestApp {
  const clock = fixedClock(options.now ?? '2026-11-23T09:00:00Z');
  const notifier = (options.notifier ?? createRecordingNotifier()) as TestApp['notifier'];
  const app = createApp({
    config: loadConfig({ DATA_DIR: '/tmp/certif-bot-test-data', ...options.env }),
    log: createSilentLogger(),
    notifier,
    clock: clock as Clock,
    databaseFile: options.databaseFile ?? ':memory:',
  });
  return { ...app, clock, notifier };
}

export const aUser = (overrides: Partial<UserRef> = {}): UserRef => ({ id: 'user-alice', username: 'alice', ...overrides });

/** Fixture builders with overrides: `aCommand('deadline', '31/08/2026')`. */
export function aCommand(command: string, text = '', overrides: Partial<Extract<Incoming, { kind: 'command' }>> = {}): Incoming {
  return { kind: 'command', transport: 'console', command, text, user: aUser(), conversation: CONSOLE_CONVERSATION, ...overrides };
}

export function aMessage(text: string, overrides: Partial<Extract<Incoming, { kind: 'message' }>> = {}): Incoming {
  return { kind: 'message', transport: 'console', text, user: aUser(), conversation: CONSOLE_CONVERSATION, ...overrides };
}

export function anAction(action: string, payload: Record<string, string | number | boolean | null> = {}, overrides: Partial<Extract<Incoming, { kind: 'action' }>> = {}): Incoming {
  return { kind: 'action', transport: 'console', action, payload, user: aUser(), conversation: CONSOLE_CONVERSATION, ...overrides };
}

export function aDialogSubmission(callbackId: string, submission: Record<string, string | number | boolean | null>, overrides: Partial<Extract<Incoming, { kind: 'dialog' }>> = {}): Incoming {
  return { kind: 'dialog', transport: 'console', callbackId, submission, state: {}, cancelled: false, user: aUser(), conversation: CONSOLE_CONVERSATION, ...overrides };
}

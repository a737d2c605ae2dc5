import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BackgroundJob, FeatureDeps, Reloadable } from '../../../src/app.js';
import { fixedClock } from '../../../src/core/clock.js';
import { CONSOLE_CONVERSATION, type Conversation, type Incoming, type UserRef } from '../../../src/core/incoming.js';
import type { Notifier } from '../../../src/core/notifier.js';
import { message, type MessageReply, type Reply } from '../../../src/core/reply.js';
import { registerEscalation, type Escalation } from '../../../src/features/escalation/escalation-handlers.js';
import { ESCALATION_MIGRATIONS } from '../../../src/features/escalation/store.js';
import type { FaqPort, KnowledgeEntryInfo, LoggedQuestion } from '../../../src/features/ports.js';
import { aFeatureDeps } from '../../support/feature-deps.js';
import { createRecordingNotifier } from '../../support/recording-notifier.js';
import { makeTestTempDir } from '../../support/temp-dir.js';
import { DIRECTORY_YAML } from './fixtures.js';

/** A small in-memory FAQ port: logged questions and entries given by the test. */
export function createFakeFaq(questions: LoggedQuestion[] = [], entries: KnowledgeEntryInfo[] = []): FaqPort & { questions: LoggedQuestion[] } {
  return {
    questions,
    getQuestion: (id) => questions.find((question) => question.id === id),
    entryInfo: (id) => entries.find((entry) => entry.id === id),
    unansweredQuestions: (limit) =>
      [{ normalized: 'mot passe pix perdu', example: 'mot de passe pix perdu', count: 3, abstained: 2, notUseful: 1, lastAskedAt: new Date('2026-11-20T10:00:00Z'), pickedEntries: ['pix-definition'] }].slice(0, limit),
    feedbackRates: () => [{ entryId: 'delai-six-mois', useful: 3, notUseful: 1 }],
  };
}

export const ALICE: UserRef = { id: 'user-alice', username: 'alice' };
export const DOMINIQUE: UserRef = { id: 'user-dominique', username: 'dominique' };
export const CAMILLE: UserRef = { id: 'user-camille', username: 'camille' };
export const EVE: UserRef = { id: 'user-eve', username: 'eve' };
export const ADMIN: UserRef = { id: 'user-admin', username: 'admin' };

export interface Harness {
  deps: FeatureDeps;
  escalation: Escalation;
  clock: ReturnType<typeof fixedClock>;
  notifier: Notifier & { posts: ReturnType<typeof createRecordingNotifier>['posts'] };
  dataDir: string;
  directoryFile: string;
  jobs: BackgroundJob[];
  reloadables: Map<string, Reloadable>;
  dispatch(incoming: Incoming): Promise<Reply>;
  say(user: UserRef, command: string, text: string): Promise<MessageReply>;
  click(user: UserRef, action: string, payload: Record<string, string | number | boolean | null>, conversation?: Conversation): Promise<Reply>;
  submit(user: UserRef, callbackId: string, state: Record<string, string | number>, submission: Record<string, string | boolean>, conversation?: Conversation): Promise<Reply>;
}

export function asMessage(reply: Reply): MessageReply {
  if (reply.type === 'message') return reply;
  if (reply.type === 'dialog') return reply.fallback;
  throw new Error(`expected a message, got ${JSON.stringify(reply)}`);
}

export function createHarness(options: { faq?: FaqPort; notifier?: Notifier & { posts: ReturnType<typeof createRecordingNotifier>['posts'] }; env?: Record<string, string>; now?: string; databaseFile?: string; dataDir?: string } = {}): Harness {
  const dataDir = options.dataDir ?? makeTestTempDir('certif-escalation-');
  const directoryFile = path.join(dataDir, 'directory.yaml');
  writeFileSync(directoryFile, DIRECTORY_YAML);
  const deps = aFeatureDeps({
    migrations: ESCALATION_MIGRATIONS,
    env: { DATA_DIR: dataDir, DIRECTORY_FILE: directoryFile, ADMIN_USERS: 'admin', ...options.env },
    now: options.now,
    databaseFile: options.databaseFile,
    ...(options.notifier ? { overrides: { notifier: options.notifier } } : {}),
  });
  const { clock, router, jobs, reloadables } = deps;
  const notifier = deps.notifier as NonNullable<typeof options.notifier>;
  // `/certif` itself belongs to the FAQ; a stand-in here so that its `profil` subcommand can be reached.
  router.command({ name: 'certif', description: 'FAQ', hint: '' }, () => message('faq'));
  const escalation = registerEscalation(deps, { faq: options.faq ?? createFakeFaq() });
  const base = { transport: 'console' as const };
  const harness: Harness = {
    deps,
    escalation,
    clock,
    notifier,
    dataDir,
    directoryFile,
    jobs,
    reloadables,
    dispatch: (incoming) => router.dispatch(incoming),
    async say(user, command, text) {
      return asMessage(await router.dispatch({ ...base, kind: 'command', command, text, user, conversation: CONSOLE_CONVERSATION }));
    },
    click: (user, action, payload, conversation = CONSOLE_CONVERSATION) =>
      router.dispatch({ ...base, kind: 'action', action, payload, user, conversation }),
    submit: (user, callbackId, state, submission, conversation = CONSOLE_CONVERSATION) =>
      router.dispatch({ ...base, kind: 'dialog', callbackId, state, submission, cancelled: false, user, conversation }),
  };
  return harness;
}

/** Lets the outbox drain that each change starts finish. */
export async function settle(harness: Harness): Promise<void> {
  await harness.escalation.outbox.drain(() => harness.clock.now());
}

/** `/certif profil …` for the asker (default: the Nord training body and cohort). */
export async function withProfile(h: Harness, text = 'organisme Nord cohorte Nord mars 2026'): Promise<MessageReply> {
  return asMessage(await h.say(ALICE, 'certif', `profil ${text}`));
}

/** Asks with /referent and confirms the first proposal; returns the ticket id. */
export async function askAndConfirm(h: Harness, question: string): Promise<number> {
  const confirmation = await h.say(ALICE, 'referent', question);
  const button = confirmation.buttons?.find((b) => b.action === 'escalation.confirm');
  if (!button) throw new Error(`no confirmation: ${confirmation.text}`);
  const done = asMessage(await h.click(ALICE, button.action, { ...button.payload }));
  const id = /#(\d+)/.exec(done.text)?.[1];
  if (!id) throw new Error(done.text);
  await settle(h);
  return Number(id);
}

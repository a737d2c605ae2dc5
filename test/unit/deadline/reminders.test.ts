import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Notifier } from '../../../src/core/notifier.js';
import { fromIsoDay } from '../../../src/features/deadline/dates.js';
import { createReminderRunner, DEADLINE_MIGRATIONS, registerDeadline } from '../../../src/features/deadline/index.js';
import { describeReminder, planReminders, reminderText } from '../../../src/features/deadline/reminders.js';
import { createDeadlineStore, type ReminderKind, type ReminderRow } from '../../../src/features/deadline/store.js';
import { createSilentLogger } from '../../../src/logger.js';
import { createRecordingNotifier } from '../../support/recording-notifier.js';
import { aCommand, aUser, createTestApp, type TestApp } from '../../support/test-app.js';
import { createCapturingLogger } from '../../support/bot-harness.js';
import { aFeatureDeps } from '../../support/feature-deps.js';

const PARIS = 'Europe/Paris';

describe('planReminders (pure)', () => {
  it('plans 30 and 7 days before the limit and 7 and 1 day before the exam, at 09:00 Paris', () => {
    // The exam is after the limit (28/02/2027), so the limit reminders still make sense.
    const planned = planReminders({ end: fromIsoDay('2026-08-31'), exam: fromIsoDay('2027-03-10') }, new Date('2026-01-01T00:00:00Z'), PARIS);
    expect(planned.map((reminder) => [reminder.kind, reminder.dueAt.toISOString()])).toEqual([
      ['limit-30', '2027-01-29T08:00:00.000Z'],
      ['limit-7', '2027-02-21T08:00:00.000Z'],
      ['exam-7', '2027-03-03T08:00:00.000Z'],
      ['exam-1', '2027-03-09T08:00:00.000Z'],
    ]);
    const summer = planReminders({ exam: fromIsoDay('2026-07-01') }, new Date('2026-01-01T00:00:00Z'), PARIS);
    expect(summer.map((reminder) => [reminder.kind, reminder.dueAt.toISOString()])).toEqual([
      ['exam-7', '2026-06-24T07:00:00.000Z'],
      ['exam-1', '2026-06-30T07:00:00.000Z'],
    ]);
  });

  it('plans no limit reminder when an exam on or before the limit is recorded (it would come after the exam)', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const kinds = (exam: string) => planReminders({ end: fromIsoDay('2026-08-31'), exam: fromIsoDay(exam) }, now, PARIS).map((reminder) => reminder.kind);
    expect(kinds('2027-01-12')).toEqual(['exam-7', 'exam-1']);
    expect(kinds('2027-02-28')).toEqual(['exam-7', 'exam-1']); // on the limit itself
    expect(kinds('2026-07-01')).toEqual(['exam-7', 'exam-1']); // even before the end of training
    expect(kinds('2027-03-01')).toEqual(['limit-30', 'limit-7', 'exam-7', 'exam-1']); // the day after the limit
    expect(planReminders({ end: fromIsoDay('2026-08-31') }, now, PARIS).map((reminder) => reminder.kind)).toEqual(['limit-30', 'limit-7']);
  });

  it('skips reminders whose moment has already come', () => {
    const planned = planReminders({ end: fromIsoDay('2026-08-31') }, new Date('2027-01-29T08:00:00Z'), PARIS);
    expect(planned.map((reminder) => reminder.kind)).toEqual(['limit-7']);
  });

  it('writes the day count and the missing dossier items', () => {
    const text = reminderText('limit-30', fromIsoDay('2027-02-28'), fromIsoDay('2027-02-21'), ['Dossier professionnel', '5 fiches actions']);
    expect(text).toContain('tombe dans 7 jours, le dimanche 28 février 2027');
    expect(text).toContain('Il manque encore dans votre dossier :\n- Dossier professionnel\n- 5 fiches actions');
    expect(reminderText('exam-1', fromIsoDay('2027-01-12'), fromIsoDay('2027-01-11'), [])).toContain('votre examen a lieu demain, mardi 12 janvier 2027');
  });

  it('says the convocation is sent (seed 002: « envoyées au moins un mois avant »), not that it arrives', () => {
    const text = reminderText('exam-7', fromIsoDay('2027-01-12'), fromIsoDay('2027-01-05'), []);
    expect(text).toContain('Votre convocation devait vous être envoyée au plus tard le samedi 12 décembre 2026');
    expect(text).not.toContain('parvenir');
  });

  it('describes a planned reminder in correct French', () => {
    const row = (kind: ReminderKind, target: string, due: string): ReminderRow => ({
      id: 1, user_id: 'u', kind, target_date: target, due_at: due, status: 'pending', attempts: 0, claimed_at: null, done_at: null, note: null,
    });
    expect(describeReminder(row('exam-7', '2027-01-12', '2027-01-05T08:00:00.000Z'), PARIS)).toBe(
      "Mardi 5 janvier 2027 à 9 h : 7 jours avant l'examen (mardi 12 janvier 2027)",
    );
    expect(describeReminder(row('exam-1', '2027-01-12', '2027-01-11T08:00:00.000Z'), PARIS)).toBe(
      "Lundi 11 janvier 2027 à 9 h : 1 jour avant l'examen (mardi 12 janvier 2027)",
    );
    expect(describeReminder(row('limit-30', '2027-02-28', '2027-01-29T08:00:00.000Z'), PARIS)).toBe(
      'Vendredi 29 janvier 2027 à 9 h : 30 jours avant la date limite des six mois (dimanche 28 février 2027)',
    );
  });
});

describe('reminder delivery', () => {
  let dir: string;
  let app: TestApp;
  const file = () => path.join(dir, 'certif-bot.sqlite');
  const runnerFor = (target: TestApp, notifier: Notifier = target.notifier, log = createSilentLogger()) =>
    createReminderRunner({ db: target.db, notifier, log, timeZone: PARIS });
  const statuses = (target: TestApp) =>
    target.db.prepare('SELECT kind, status, attempts, note FROM deadline_reminders ORDER BY due_at').all() as {
      kind: string;
      status: string;
      attempts: number;
      note: string | null;
    }[];

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'certif-deadline-'));
    app = createTestApp({ now: '2026-11-23T09:00:00Z', databaseFile: file() });
    await app.router.dispatch(aCommand('deadline', '31/08/2026'));
    await app.router.dispatch(aCommand('deadline', 'examen 12/01/2027'));
    await app.router.dispatch(aCommand('deadline', 'rappels oui'));
    app.notifier.posts.length = 0;
  });
  afterEach(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends nothing before 09:00 Paris on the day, then once, with a stable idempotency key', async () => {
    const sendDirect = vi.spyOn(app.notifier, 'sendDirect');
    const runner = runnerFor(app);
    expect(await runner.runDueReminders(new Date('2027-01-05T07:59:00Z'))).toEqual({ sent: 0, dropped: 0, failed: 0 });
    expect(await runner.runDueReminders(new Date('2027-01-05T08:00:00Z'))).toEqual({ sent: 1, dropped: 0, failed: 0 });
    expect(await runner.runDueReminders(new Date('2027-01-05T08:01:00Z'))).toEqual({ sent: 0, dropped: 0, failed: 0 });
    expect(app.notifier.posts).toHaveLength(1);
    expect(app.notifier.posts[0]).toMatchObject({ kind: 'direct', target: 'user-alice' });
    expect(app.notifier.posts[0]!.message.text).toContain('votre examen a lieu dans 7 jours, le mardi 12 janvier 2027');
    expect(sendDirect.mock.calls[0]![2]).toEqual({ idempotencyKey: 'deadline-exam-7-2027-01-12-user-alice' });
    expect(statuses(app)[0]).toMatchObject({ kind: 'exam-7', status: 'sent', attempts: 1 });
  });

  it('never sends twice when two runs overlap', async () => {
    const runner = runnerFor(app);
    const at = new Date('2027-01-05T08:00:00Z');
    const results = await Promise.all([runner.runDueReminders(at), runner.runDueReminders(at)]);
    expect(results.reduce((total, result) => total + result.sent, 0)).toBe(1);
    expect(app.notifier.posts).toHaveLength(1);
  });

  it('leaves a failed reminder due and retries it on the next tick', async () => {
    let failures = 1;
    const flaky: Notifier = {
      ...app.notifier,
      canPost: true,
      sendDirect: async (userId, message, options) => {
        if (failures > 0) {
          failures -= 1;
          throw new Error('Mattermost unreachable');
        }
        return app.notifier.sendDirect(userId, message, options);
      },
    };
    const runner = runnerFor(app, flaky);
    expect(await runner.runDueReminders(new Date('2027-01-05T08:00:00Z'))).toEqual({ sent: 0, dropped: 0, failed: 1 });
    expect(statuses(app)[0]).toMatchObject({ status: 'pending', attempts: 1, note: 'Mattermost unreachable' });
    expect(await runner.runDueReminders(new Date('2027-01-05T08:01:00Z'))).toEqual({ sent: 1, dropped: 0, failed: 0 });
    expect(statuses(app)[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect(app.notifier.posts).toHaveLength(1);
  });

  it('survives a restart: a new app on the same SQLite file sends what is due, exactly once', async () => {
    await runnerFor(app).runDueReminders(new Date('2027-01-05T08:00:00Z'));
    await app.close();
    app = createTestApp({ now: '2027-01-11T08:00:00Z', databaseFile: file() });
    const runner = runnerFor(app);
    expect(await runner.runDueReminders(new Date('2027-01-11T08:00:00Z'))).toEqual({ sent: 1, dropped: 0, failed: 0 });
    expect(app.notifier.posts.map((post) => post.message.text)).toEqual([expect.stringContaining('votre examen a lieu demain')]);
    expect(statuses(app).map((row) => [row.kind, row.status])).toEqual([
      ['exam-7', 'sent'],
      ['exam-1', 'sent'],
    ]);
  });

  it('the background job delivers on start (first tick) with the app clock', async () => {
    await app.close();
    app = createTestApp({ now: '2027-01-05T08:00:30Z', databaseFile: file() });
    app.start();
    await vi.waitFor(() => expect(app.notifier.posts).toHaveLength(1));
    expect(app.notifier.posts[0]!.message.text).toContain('votre examen a lieu dans 7 jours, le mardi 12 janvier 2027');
  });

  it('sends a reminder missed while down late, with the right count of days', async () => {
    const { log, lines } = createCapturingLogger();
    // exam-7 (05/01) and exam-1 (11/01) missed; back on 07/01 at 10:00 Paris: only exam-7 is due, 5 days left.
    const runner = runnerFor(app, app.notifier, log);
    expect(await runner.runDueReminders(new Date('2027-01-07T09:00:00Z'))).toEqual({ sent: 1, dropped: 0, failed: 0 });
    expect(app.notifier.posts[0]!.message.text).toContain('votre examen a lieu dans 5 jours, le mardi 12 janvier 2027');
    expect(lines.some((line) => line.msg === 'deadline reminder sent late' && line.daysLeft === 5)).toBe(true);
  });

  it('drops a reminder whose date has passed, saying so in the log, and an earlier one superseded by a later one', async () => {
    const { log, lines } = createCapturingLogger();
    const bob = aUser({ id: 'user-bob', username: 'bob' });
    await app.router.dispatch(aCommand('deadline', '31/08/2026', { user: bob }));
    await app.router.dispatch(aCommand('deadline', 'rappels oui', { user: bob }));
    app.notifier.posts.length = 0;
    const runner = runnerFor(app, app.notifier, log);
    // Back on 22/02/2027: alice's exam (12/01) is over → both exam reminders dropped; bob's limit-30 superseded by limit-7.
    expect(await runner.runDueReminders(new Date('2027-02-22T09:00:00Z'))).toEqual({ sent: 1, dropped: 3, failed: 0 });
    expect(app.notifier.posts).toHaveLength(1);
    expect(app.notifier.posts[0]).toMatchObject({ kind: 'direct', target: 'user-bob' });
    expect(app.notifier.posts[0]!.message.text).toContain('tombe dans 6 jours, le dimanche 28 février 2027');
    expect(statuses(app).map((row) => [row.kind, row.status, row.note])).toEqual([
      ['exam-7', 'dropped', 'target date passed'],
      ['exam-1', 'dropped', 'target date passed'],
      ['limit-30', 'dropped', 'superseded by a later reminder'],
      ['limit-7', 'sent', null],
    ]);
    expect(lines.filter((line) => String(line.msg).startsWith('deadline reminder dropped: its date has passed'))).toHaveLength(2);
  });

  it('removes the pending limit reminders when an exam on or before the limit is saved after opting in', async () => {
    const bob = aUser({ id: 'user-bob', username: 'bob' });
    await app.router.dispatch(aCommand('deadline', '31/08/2026', { user: bob }));
    await app.router.dispatch(aCommand('deadline', 'rappels oui', { user: bob }));
    const bobKinds = () =>
      (app.db.prepare("SELECT kind FROM deadline_reminders WHERE user_id = 'user-bob' ORDER BY due_at").all() as { kind: string }[]).map((row) => row.kind);
    expect(bobKinds()).toEqual(['limit-30', 'limit-7']);
    await app.router.dispatch(aCommand('deadline', 'examen 28/02/2027', { user: bob }));
    expect(bobKinds()).toEqual(['exam-7', 'exam-1']);
    await app.router.dispatch(aCommand('deadline', 'examen 10/03/2027', { user: bob }));
    expect(bobKinds()).toEqual(['limit-30', 'limit-7', 'exam-7', 'exam-1']);
  });

  it('retries a reminder stuck in « sending » after a crash, with the same key', async () => {
    app.db.prepare("UPDATE deadline_reminders SET status = 'sending', claimed_at = ? WHERE kind = 'exam-7'").run('2027-01-05T08:00:00.000Z');
    const runner = runnerFor(app);
    expect((await runner.runDueReminders(new Date('2027-01-05T08:05:00Z'))).sent).toBe(0);
    expect((await runner.runDueReminders(new Date('2027-01-05T08:11:00Z'))).sent).toBe(1);
  });

  it('does nothing when the notifier cannot post', async () => {
    const runner = runnerFor(app, createRecordingNotifier({ canPost: false }));
    expect(await runner.runDueReminders(new Date('2027-01-05T08:00:00Z'))).toEqual({ sent: 0, dropped: 0, failed: 0 });
    expect(statuses(app)[0]).toMatchObject({ status: 'pending' });
  });

  it('uses the store it is given instead of building another one', async () => {
    const store = createDeadlineStore(app.db);
    const due = vi.spyOn(store, 'due');
    const runner = createReminderRunner({ db: app.db, store, notifier: app.notifier, log: createSilentLogger(), timeZone: PARIS });
    expect(await runner.runDueReminders(new Date('2027-01-05T08:00:00Z'))).toEqual({ sent: 1, dropped: 0, failed: 0 });
    expect(due).toHaveBeenCalledTimes(1);
  });

  it('lists missing dossier items through the DossierPort', async () => {
    const runner = createReminderRunner({
      db: app.db,
      notifier: app.notifier,
      log: createSilentLogger(),
      timeZone: PARIS,
      dossier: { missingItems: (userId) => (userId === 'user-alice' ? ['Dossier professionnel (DP)'] : []) },
    });
    await runner.runDueReminders(new Date('2027-01-05T08:00:00Z'));
    expect(app.notifier.posts[0]!.message.text).toContain('Il manque encore dans votre dossier :\n- Dossier professionnel (DP)');
  });
});

describe('reminder job stop', () => {
  it('waits for the send in progress, so the reminder is marked sent before the database closes', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let sendStarted = false;
    const recording = createRecordingNotifier();
    const notifier: Notifier = {
      ...recording,
      sendDirect: async (userId, message, options) => {
        sendStarted = true;
        await gate;
        return recording.sendDirect(userId, message, options);
      },
    };
    const deps = aFeatureDeps({ migrations: DEADLINE_MIGRATIONS, now: '2026-11-23T09:00:00Z', overrides: { notifier } });
    registerDeadline(deps);
    await deps.router.dispatch(aCommand('deadline', 'examen 12/01/2027'));
    await deps.router.dispatch(aCommand('deadline', 'rappels oui'));
    deps.clock.set('2027-01-05T08:00:30Z');
    const job = deps.jobs.find((candidate) => candidate.name === 'deadline-reminders')!;
    job.start();
    await vi.waitFor(() => expect(sendStarted).toBe(true));
    let stopped = false;
    const stopping = job.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    const row = deps.db.prepare("SELECT status FROM deadline_reminders WHERE kind = 'exam-7'").get();
    expect(row).toEqual({ status: 'sent' });
    expect(recording.posts).toHaveLength(1);
    deps.db.close();
  });

  it('stops cleanly when no tick is running (never started, or started with nothing due)', async () => {
    const deps = aFeatureDeps({ migrations: DEADLINE_MIGRATIONS, now: '2026-11-23T09:00:00Z' });
    registerDeadline(deps);
    const job = deps.jobs.find((candidate) => candidate.name === 'deadline-reminders')!;
    await expect(job.stop()).resolves.toBeUndefined();
    job.start();
    await expect(job.stop()).resolves.toBeUndefined();
    deps.db.close();
  });
});

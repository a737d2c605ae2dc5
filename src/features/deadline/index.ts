import type { BackgroundJob, FeatureDeps } from '../../app.js';
import type { Notifier } from '../../core/notifier.js';
import type { CommandInput, DialogInput } from '../../core/incoming.js';
import { dialogErrors, message, openDialog, type Button, type DialogSpec, type MessageReply, type Reply } from '../../core/reply.js';
import { foldText } from '../../core/text.js';
import type { Logger } from '../../logger.js';
import type { Database } from '../../storage/database.js';
import type { CalendarPort, DossierPort } from '../ports.js';
import { calendarDateIn, parseFrenchDate, toIsoDay, type CalendarDate } from './dates.js';
import { renderCalendar } from './render.js';
import { describeReminder, runDueReminders, syncReminders, TICK_MS, type RunSummary } from './reminders.js';
import { calendarIsOver, computeCalendar } from './rules.js';
import { createDeadlineStore, type DeadlineStore, type SavedCalendar } from './store.js';
import * as T from './texts.js';

export { DEADLINE_MIGRATIONS } from './store.js';

export const DEADLINE_DIALOG = 'deadline.end';
export const REMINDERS_ACTION = 'deadline.reminders';

export interface ReminderRunner {
  runDueReminders(now: Date): Promise<RunSummary>;
}

/**
 * The reminder delivery over a database and a notifier: used by the job, and by tests that drive it directly.
 * Pass `store` when one is already built over `db` (the feature does), so the statements are prepared once.
 */
export function createReminderRunner(deps: {
  db: Database;
  notifier: Notifier;
  log: Logger;
  timeZone: string;
  dossier?: DossierPort;
  onSent?: (kind: string) => void;
  store?: DeadlineStore;
}): ReminderRunner {
  const store = deps.store ?? createDeadlineStore(deps.db);
  return {
    runDueReminders: (now) =>
      runDueReminders({ ...deps, store }, now),
  };
}

function endDialog(): DialogSpec {
  return {
    callbackId: DEADLINE_DIALOG,
    title: T.END_DIALOG.title,
    introduction: T.END_DIALOG.introduction,
    submitLabel: T.END_DIALOG.submit,
    elements: [
      { type: 'text', name: 'fin', label: T.END_DIALOG.endLabel, placeholder: '31/08/2026', helpText: T.END_DIALOG.endHelp },
      { type: 'text', name: 'examen', label: T.END_DIALOG.examLabel, placeholder: '12/01/2027', helpText: T.END_DIALOG.examHelp, optional: true },
    ],
  };
}

export function registerDeadline(deps: FeatureDeps, ports: { dossier?: DossierPort } = {}): ReminderRunner & CalendarPort {
  const { router, db, config, log, notifier } = deps;
  const timeZone = config.timezone;
  const store: DeadlineStore = createDeadlineStore(db);
  const runner = createReminderRunner({
    db,
    store,
    notifier,
    log: log.child({ feature: 'deadline' }),
    timeZone,
    dossier: ports.dossier,
    onSent: (kind) => deps.metrics.countReminderSent(`deadline-${kind}`),
  });

  const parseOrRefuse = (text: string, now: Date): CalendarDate | string => {
    const result = parseFrenchDate(text, now, timeZone);
    return result.ok ? result.date : result.message;
  };

  const remindersButton = (saved: SavedCalendar): Button[] =>
    saved.reminders ? [] : [{ label: T.REMINDERS_BUTTON, action: REMINDERS_ACTION, payload: { on: true }, style: 'primary', command: T.REMINDERS_ON_COMMAND }];

  const calendarReply = (saved: SavedCalendar, now: Date, intro?: string): MessageReply => {
    const facts = computeCalendar(saved, calendarDateIn(now, timeZone));
    const footer = saved.reminders ? T.REMINDERS_ARE_ON : T.HOW_TO_GET_REMINDERS;
    const text = [intro, renderCalendar(facts), footer, T.SAVED_NOTE]
      .filter((part): part is string => Boolean(part))
      .join('\n\n');
    return message(text, { buttons: remindersButton(saved) });
  };

  const saveAndShow = (userId: string, changes: Parameters<DeadlineStore['save']>[1], now: Date): MessageReply => {
    const saved = store.save(userId, changes, now);
    syncReminders(store, saved, userId, now, timeZone);
    return calendarReply(saved, now);
  };

  router.command(
    { name: 'deadline', description: 'Vos dates de certification : date limite des six mois, examen, Pix, rappels', hint: '[fin de formation JJ/MM/AAAA] | examen | pix | rappels | calendrier | oublier' },
    (input: CommandInput, ctx): Reply => {
      const text = input.text.trim();
      if (text === '') {
        const saved = store.get(input.user.id);
        if (saved && (saved.end || saved.exam || saved.pix)) return calendarReply(saved, ctx.now);
        return openDialog(endDialog(), message(T.ASK_END));
      }
      if (['aide', 'help', '?'].includes(foldText(text))) return message(T.HELP);
      const date = parseOrRefuse(text, ctx.now);
      if (typeof date === 'string') return message(T.withHelp(date));
      return saveAndShow(input.user.id, { end: date }, ctx.now);
    },
  );

  router.subcommand('deadline', ['examen', 'exam'], (input, ctx): Reply => {
    const date = parseOrRefuse(input.text, ctx.now);
    if (typeof date === 'string') return message(`${date}\n\n${T.EXAM_EXAMPLE}`);
    return saveAndShow(input.user.id, { exam: date }, ctx.now);
  });

  router.subcommand('deadline', ['pix'], (input, ctx): Reply => {
    const date = parseOrRefuse(input.text, ctx.now);
    if (typeof date === 'string') return message(`${date}\n\n${T.PIX_EXAMPLE}`);
    return saveAndShow(input.user.id, { pix: date }, ctx.now);
  });

  const setReminders = (userId: string, on: boolean, now: Date): MessageReply => {
    const saved = store.get(userId);
    if (!on) {
      if (saved) store.save(userId, { reminders: false }, now);
      syncReminders(store, saved && { ...saved, reminders: false }, userId, now, timeZone);
      return message(T.REMINDERS_OFF);
    }
    if (!saved || (!saved.end && !saved.exam)) return message(T.NOTHING_TO_REMIND);
    const updated = store.save(userId, { reminders: true }, now);
    syncReminders(store, updated, userId, now, timeZone);
    const upcoming = store.reminders(userId).filter((row) => row.status === 'pending');
    return message(T.remindersOn(upcoming.map((row) => describeReminder(row, timeZone)), !notifier.canPost));
  };

  router.subcommand('deadline', ['rappels', 'rappel'], (input, ctx): Reply => {
    const answer = foldText(input.text);
    if (answer === 'oui') return setReminders(input.user.id, true, ctx.now);
    if (answer === 'non') return setReminders(input.user.id, false, ctx.now);
    return message(T.YES_OR_NO);
  });

  router.action(REMINDERS_ACTION, (input, ctx): Reply => setReminders(input.user.id, input.payload.on === true, ctx.now));

  router.subcommand('deadline', ['calendrier', 'ics', 'agenda'], async (input, ctx): Promise<Reply> => {
    const saved = store.get(input.user.id);
    if (!saved || (!saved.end && !saved.exam && !saved.pix)) {
      return message(T.NO_DATES);
    }
    if (!notifier.canPost) return message(T.CANNOT_SEND_FILE);
    const today = calendarDateIn(ctx.now, timeZone);
    const facts = computeCalendar(saved, today);
    const name = `certification-${toIsoDay(today)}.ics`;
    // Loaded on first use: few users ask for a calendar file, and the ics library (with its validator) costs ~10 MB.
    const { buildIcs } = await import('./ics.js');
    await notifier.sendDirect(
      input.user.id,
      {
        text: T.icsMessage(today),
        file: { name, mimeType: 'text/calendar', content: buildIcs(facts, input.user.id, ctx.now) },
      },
      { idempotencyKey: `deadline-ics-${input.user.id}-${ctx.requestId}` },
    );
    return message(T.ICS_SENT);
  });

  router.subcommand('deadline', ['oublier', 'effacer', 'supprimer'], (input): Reply => {
    const removed = store.erase(input.user.id);
    if (removed === 0) return message(T.NOTHING_ERASED);
    return message(T.ERASED);
  });

  router.dialog(DEADLINE_DIALOG, (input: DialogInput, ctx): Reply => {
    if (input.cancelled) return message(T.DIALOG_CANCELLED);
    const end = parseOrRefuse(String(input.submission.fin ?? ''), ctx.now);
    const examText = String(input.submission.examen ?? '').trim();
    const exam = examText === '' ? undefined : parseOrRefuse(examText, ctx.now);
    const errors: Record<string, string> = {};
    if (typeof end === 'string') errors.fin = end;
    if (typeof exam === 'string') errors.examen = exam;
    if (typeof end === 'string' || typeof exam === 'string') return dialogErrors(errors);
    return saveAndShow(input.user.id, exam ? { end, exam } : { end }, ctx.now);
  });

  deps.personalData.add({
    ...T.PERSONAL_DATA,
    exportFor(userId) {
      const saved = store.get(userId);
      if (!saved) return null;
      return {
        finDeFormation: saved.end ? toIsoDay(saved.end) : null,
        examen: saved.exam ? toIsoDay(saved.exam) : null,
        certificationPix: saved.pix ? toIsoDay(saved.pix) : null,
        rappels: saved.reminders,
        creeLe: saved.createdAt,
        modifieLe: saved.updatedAt,
        rappelsPlanifies: store.reminders(userId).map((row) => ({
          type: row.kind,
          dateVisee: row.target_date,
          prevuLe: row.due_at,
          etat: row.status,
        })),
      };
    },
    summarize(userId) {
      const saved = store.get(userId);
      if (!saved) return undefined;
      return T.personalSummary(saved, saved.reminders);
    },
    eraseFor: (userId) => store.erase(userId),
    // Finished reminders (sent or dropped) for a date before the cutoff serve nothing any more. They are never
    // re-planned: a reminder is only planned when its moment, before its target date, is still ahead. A calendar
    // untouched since the cutoff, whose dates are all past it and with nothing left to send, is a certification
    // that is over: it goes too.
    purgeOlderThan: (cutoff) => {
      const day = calendarDateIn(cutoff, timeZone);
      const over = store.untouchedSince(cutoff).filter((calendar) => calendarIsOver(calendar, day));
      return store.purgeFinishedBefore(day) + over.reduce((deleted, calendar) => deleted + store.erase(calendar.userId), 0);
    },
  });

  const certificationOngoing = (userId: string, at: Date): boolean => {
    const saved = store.get(userId);
    return saved !== undefined && !calendarIsOver(saved, calendarDateIn(at, timeZone));
  };

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  /** The tick in progress, if any: one at a time, and `stop()` waits for it (a send must be marked before the db closes). */
  let current: Promise<void> | undefined;
  const runTick = async () => {
    try {
      const summary = await runner.runDueReminders(deps.clock.now());
      if (summary.sent + summary.dropped + summary.failed > 0) log.info({ summary }, 'deadline reminders tick');
    } catch (error) {
      log.error({ err: error }, 'deadline reminders tick failed');
    }
  };
  const tick = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (!current) {
      current = runTick().finally(() => {
        current = undefined;
      });
    }
    return current;
  };
  const job: BackgroundJob = {
    name: 'deadline-reminders',
    start() {
      stopped = false;
      void tick();
      timer = setInterval(() => void tick(), TICK_MS);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      await current;
    },
  };
  deps.addJob(job);
  return { ...runner, certificationOngoing };
}

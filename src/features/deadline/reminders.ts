import type { Notifier } from '../../core/notifier.js';
import { describeError } from '../../core/errors.js';
import type { Logger } from '../../logger.js';
import type { DossierPort } from '../ports.js';
import {
  addDays,
  calendarDateIn,
  compareDates,
  daysBetween,
  fromIsoDay,
  instantAt,
  type CalendarDate,
} from './dates.js';
import * as T from './texts.js';
import { convocationDeadline, examLimit } from './rules.js';
import type { DeadlineStore, PlannedReminder, ReminderKind, ReminderRow, SavedCalendar } from './store.js';

/**
 * Reminders by direct message, for users who opted in (`/deadline rappels oui`):
 * - 30 and 7 days before the six-month limit (`limit-30`, `limit-7`), only while no exam on or before that limit is
 *   recorded: their text (« si vous n'avez pas encore reçu votre convocation… ») would otherwise arrive after the exam;
 * - 7 days and 1 day before a recorded exam (`exam-7`, `exam-1`).
 * Each fires at REMINDER_HOUR (09:00) Europe/Paris on its day. Delivery is claim → send → mark, so each reminder is
 * sent once; a failed send goes back to pending and is retried on the next tick with the same idempotency key.
 * A reminder missed while the bot was down is sent late, with the day count recomputed from today; it is dropped
 * (and logged) once its target date has passed, or when a later reminder for the same date is also due. Saving
 * an exam date re-plans (syncReminders), which removes limit reminders the exam makes pointless.
 */
export const REMINDER_HOUR = 9;
export const TICK_MS = 60_000;
/** A reminder left in `sending` this long (crash between send and mark) is tried again, with the same key. */
export const STALE_CLAIM_MS = 10 * 60_000;

const OFFSETS: Record<ReminderKind, { family: 'limit' | 'exam'; daysBefore: number }> = {
  'limit-30': { family: 'limit', daysBefore: 30 },
  'limit-7': { family: 'limit', daysBefore: 7 },
  'exam-7': { family: 'exam', daysBefore: 7 },
  'exam-1': { family: 'exam', daysBefore: 1 },
};

/** The reminders a calendar calls for whose moment is still ahead of `now`. Pure. */
export function planReminders(calendar: Pick<SavedCalendar, 'end' | 'exam'>, now: Date, timeZone: string): PlannedReminder[] {
  const targets: { family: 'limit' | 'exam'; date: CalendarDate }[] = [];
  if (calendar.end) {
    const limit = examLimit(calendar.end);
    if (!examCoversLimit(calendar.exam, limit)) targets.push({ family: 'limit', date: limit });
  }
  if (calendar.exam) targets.push({ family: 'exam', date: calendar.exam });
  const planned: PlannedReminder[] = [];
  for (const [kind, offset] of Object.entries(OFFSETS) as [ReminderKind, (typeof OFFSETS)[ReminderKind]][]) {
    const target = targets.find((candidate) => candidate.family === offset.family);
    if (!target) continue;
    const dueAt = instantAt(addDays(target.date, -offset.daysBefore), REMINDER_HOUR, timeZone);
    if (dueAt.getTime() > now.getTime()) planned.push({ kind, targetDate: target.date, dueAt });
  }
  return planned.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/** True when an exam is recorded on or before the six-month limit: the limit reminders are then pointless. */
export function examCoversLimit(exam: CalendarDate | undefined, limit: CalendarDate): boolean {
  return exam !== undefined && compareDates(exam, limit) <= 0;
}

export function reminderKey(row: Pick<ReminderRow, 'user_id' | 'kind' | 'target_date'>): string {
  return `deadline-${row.kind}-${row.target_date}-${row.user_id}`;
}

/** The French text of a reminder (texts.ts), with the day count as of `today`. Pure. */
export function reminderText(kind: ReminderKind, target: CalendarDate, today: CalendarDate, missingItems: readonly string[]): string {
  const when = T.reminderWhen(daysBetween(today, target), target);
  const lines = OFFSETS[kind].family === 'limit' ? T.limitReminder(when) : T.examReminder(when, convocationDeadline(target));
  if (missingItems.length > 0) lines.push(T.missingInDossier(missingItems));
  lines.push(T.REMINDER_FOOTER);
  return lines.join('\n\n');
}

export interface ReminderRunnerDeps {
  store: DeadlineStore;
  notifier: Notifier;
  log: Logger;
  timeZone: string;
  dossier?: DossierPort;
  /** Told about each delivered reminder (metrics). */
  onSent?: (kind: string) => void;
}

export interface RunSummary {
  sent: number;
  dropped: number;
  failed: number;
}

/** Delivers every due reminder once. Safe to call concurrently with itself: a row is claimed before sending. */
export async function runDueReminders(deps: ReminderRunnerDeps, now: Date): Promise<RunSummary> {
  const { store, notifier, log, timeZone } = deps;
  const summary: RunSummary = { sent: 0, dropped: 0, failed: 0 };
  if (!notifier.canPost) return summary;
  const staleBefore = new Date(now.getTime() - STALE_CLAIM_MS);
  const today = calendarDateIn(now, timeZone);
  const due = store.due(now, staleBefore);
  for (const row of due) {
    const target = fromIsoDay(row.target_date);
    const context = { reminderId: row.id, kind: row.kind, userId: row.user_id, targetDate: row.target_date, dueAt: row.due_at };
    if (compareDates(today, target) > 0) {
      store.markDropped(row.id, now, 'target date passed');
      summary.dropped += 1;
      log.warn(context, 'deadline reminder dropped: its date has passed (missed while the bot was down)');
      continue;
    }
    const family = OFFSETS[row.kind].family;
    const superseded = due.some(
      (other) =>
        other.id !== row.id &&
        other.user_id === row.user_id &&
        other.target_date === row.target_date &&
        OFFSETS[other.kind].family === family &&
        other.due_at > row.due_at,
    );
    if (superseded) {
      store.markDropped(row.id, now, 'superseded by a later reminder');
      summary.dropped += 1;
      log.info(context, 'deadline reminder dropped: a later reminder for the same date is due too');
      continue;
    }
    if (!store.claim(row.id, now, staleBefore)) continue;
    const late = now.getTime() - Date.parse(row.due_at) > 2 * TICK_MS;
    try {
      const missing = deps.dossier?.missingItems(row.user_id) ?? [];
      await notifier.sendDirect(row.user_id, { text: reminderText(row.kind, target, today, missing) }, { idempotencyKey: reminderKey(row) });
      store.markSent(row.id, now);
      summary.sent += 1;
      deps.onSent?.(row.kind);
      log.info({ ...context, late, daysLeft: daysBetween(today, target) }, late ? 'deadline reminder sent late' : 'deadline reminder sent');
    } catch (error) {
      store.release(row.id, describeError(error).slice(0, 200));
      summary.failed += 1;
      log.warn({ ...context, err: error }, 'deadline reminder not delivered; retrying on the next tick');
    }
  }
  return summary;
}

/** Re-plans a user's reminders after a change of dates or of the opt-in. */
export function syncReminders(store: DeadlineStore, calendar: SavedCalendar | undefined, userId: string, now: Date, timeZone: string): void {
  if (!calendar || !calendar.reminders) {
    store.replacePending(userId, []);
    return;
  }
  store.replacePending(userId, planReminders(calendar, now, timeZone));
}

export function describeReminder(row: ReminderRow, timeZone: string): string {
  const offset = OFFSETS[row.kind];
  return T.plannedReminder(calendarDateIn(new Date(row.due_at), timeZone), REMINDER_HOUR, offset.daysBefore, offset.family, fromIsoDay(row.target_date));
}

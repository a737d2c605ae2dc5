import type { Database, Migration } from '../../storage/database.js';
import { fromIsoDay, toIsoDay, type CalendarDate } from './dates.js';

export const DEADLINE_MIGRATIONS: readonly Migration[] = [
  {
    id: 'deadline-001-calendars-and-reminders',
    up: `
      CREATE TABLE deadline_calendars (
        user_id TEXT PRIMARY KEY,
        end_date TEXT,
        exam_date TEXT,
        pix_date TEXT,
        reminders INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE deadline_reminders (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        target_date TEXT NOT NULL,
        due_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'dropped')),
        attempts INTEGER NOT NULL DEFAULT 0,
        claimed_at TEXT,
        done_at TEXT,
        note TEXT,
        UNIQUE (user_id, kind, target_date)
      );
      CREATE INDEX deadline_reminders_due ON deadline_reminders (status, due_at);
    `,
  },
];

export interface SavedCalendar {
  userId: string;
  end?: CalendarDate;
  exam?: CalendarDate;
  pix?: CalendarDate;
  reminders: boolean;
  createdAt: string;
  updatedAt: string;
}

interface CalendarRow {
  user_id: string;
  end_date: string | null;
  exam_date: string | null;
  pix_date: string | null;
  reminders: number;
  created_at: string;
  updated_at: string;
}

export type ReminderKind = 'limit-30' | 'limit-7' | 'exam-7' | 'exam-1';
export type ReminderStatus = 'pending' | 'sending' | 'sent' | 'dropped';

export interface ReminderRow {
  id: number;
  user_id: string;
  kind: ReminderKind;
  target_date: string;
  due_at: string;
  status: ReminderStatus;
  attempts: number;
  claimed_at: string | null;
  done_at: string | null;
  note: string | null;
}

export interface PlannedReminder {
  kind: ReminderKind;
  targetDate: CalendarDate;
  dueAt: Date;
}

const optionalDay = (value: string | null): CalendarDate | undefined => (value ? fromIsoDay(value) : undefined);
const isoOrNull = (value: CalendarDate | undefined): string | null => (value ? toIsoDay(value) : null);

export interface DeadlineStore {
  get(userId: string): SavedCalendar | undefined;
  /** Merges the given fields into the user's calendar (creating it); `null` clears a date. */
  save(userId: string, changes: { end?: CalendarDate | null; exam?: CalendarDate | null; pix?: CalendarDate | null; reminders?: boolean }, now: Date): SavedCalendar;
  /** Deletes the calendar and every reminder; returns the number of rows removed. */
  erase(userId: string): number;
  /** Replaces the user's unsent reminders by `planned` (already sent or dropped ones are kept, never re-created). */
  replacePending(userId: string, planned: readonly PlannedReminder[]): void;
  reminders(userId: string): ReminderRow[];
  /** Pending reminders due at `now`, plus ones stuck in `sending` since before `staleBefore` (a crash mid-send). */
  due(now: Date, staleBefore: Date): ReminderRow[];
  /** pending (or stale sending) → sending; false when another run got it first. */
  claim(id: number, now: Date, staleBefore: Date): boolean;
  markSent(id: number, now: Date): void;
  markDropped(id: number, now: Date, note: string): void;
  release(id: number, note: string): void;
  /** Retention: deletes sent or dropped reminders whose target date is before `day`; returns how many. */
  purgeFinishedBefore(day: CalendarDate): number;
  /** Calendars last changed before `cutoff` with no reminder left to send (retention: the caller decides which are over). */
  untouchedSince(cutoff: Date): SavedCalendar[];
}

export function createDeadlineStore(db: Database): DeadlineStore {
  const selectCalendar = db.prepare('SELECT * FROM deadline_calendars WHERE user_id = ?');
  const upsert = db.prepare(`
    INSERT INTO deadline_calendars (user_id, end_date, exam_date, pix_date, reminders, created_at, updated_at)
    VALUES (@user_id, @end_date, @exam_date, @pix_date, @reminders, @now, @now)
    ON CONFLICT (user_id) DO UPDATE SET end_date = @end_date, exam_date = @exam_date, pix_date = @pix_date,
      reminders = @reminders, updated_at = @now`);
  const deleteCalendar = db.prepare('DELETE FROM deadline_calendars WHERE user_id = ?');
  const deleteReminders = db.prepare('DELETE FROM deadline_reminders WHERE user_id = ?');
  const deleteUnsent = db.prepare("DELETE FROM deadline_reminders WHERE user_id = ? AND status = 'pending'");
  const insertReminder = db.prepare(`
    INSERT OR IGNORE INTO deadline_reminders (user_id, kind, target_date, due_at) VALUES (?, ?, ?, ?)`);
  const selectReminders = db.prepare('SELECT * FROM deadline_reminders WHERE user_id = ? ORDER BY due_at, id');
  const selectDue = db.prepare(`
    SELECT * FROM deadline_reminders
    WHERE (status = 'pending' AND due_at <= @now) OR (status = 'sending' AND claimed_at <= @stale)
    ORDER BY due_at, id`);
  const claimRow = db.prepare(`
    UPDATE deadline_reminders SET status = 'sending', claimed_at = @now, attempts = attempts + 1
    WHERE id = @id AND (status = 'pending' OR (status = 'sending' AND claimed_at <= @stale))`);
  const finish = db.prepare('UPDATE deadline_reminders SET status = @status, done_at = @now, note = @note WHERE id = @id');
  const releaseRow = db.prepare("UPDATE deadline_reminders SET status = 'pending', claimed_at = NULL, note = ? WHERE id = ? AND status = 'sending'");
  const purgeFinished = db.prepare("DELETE FROM deadline_reminders WHERE status IN ('sent', 'dropped') AND target_date < ?");
  const selectUntouched = db.prepare<[string], CalendarRow>(`
    SELECT * FROM deadline_calendars c
     WHERE updated_at < ?
       AND NOT EXISTS (SELECT 1 FROM deadline_reminders r WHERE r.user_id = c.user_id AND r.status IN ('pending', 'sending'))`);

  const toCalendar = (row: CalendarRow): SavedCalendar => ({
    userId: row.user_id,
    end: optionalDay(row.end_date),
    exam: optionalDay(row.exam_date),
    pix: optionalDay(row.pix_date),
    reminders: row.reminders === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  const get = (userId: string): SavedCalendar | undefined => {
    const row = selectCalendar.get(userId) as CalendarRow | undefined;
    return row ? toCalendar(row) : undefined;
  };

  return {
    get,
    save(userId, changes, now) {
      const current = get(userId);
      const pick = (change: CalendarDate | null | undefined, previous: CalendarDate | undefined) =>
        change === undefined ? previous : (change ?? undefined);
      upsert.run({
        user_id: userId,
        end_date: isoOrNull(pick(changes.end, current?.end)),
        exam_date: isoOrNull(pick(changes.exam, current?.exam)),
        pix_date: isoOrNull(pick(changes.pix, current?.pix)),
        reminders: (changes.reminders ?? current?.reminders ?? false) ? 1 : 0,
        now: now.toISOString(),
      });
      const saved = get(userId);
      if (!saved) throw new Error('the calendar was not saved');
      return saved;
    },
    erase: db.transaction((userId: string) => deleteReminders.run(userId).changes + deleteCalendar.run(userId).changes),
    replacePending: db.transaction((userId: string, planned: readonly PlannedReminder[]) => {
      deleteUnsent.run(userId);
      for (const reminder of planned) {
        insertReminder.run(userId, reminder.kind, toIsoDay(reminder.targetDate), reminder.dueAt.toISOString());
      }
    }),
    reminders: (userId) => selectReminders.all(userId) as ReminderRow[],
    due: (now, staleBefore) => selectDue.all({ now: now.toISOString(), stale: staleBefore.toISOString() }) as ReminderRow[],
    claim: (id, now, staleBefore) => claimRow.run({ id, now: now.toISOString(), stale: staleBefore.toISOString() }).changes === 1,
    markSent: (id, now) => {
      finish.run({ id, status: 'sent', now: now.toISOString(), note: null });
    },
    markDropped: (id, now, note) => {
      finish.run({ id, status: 'dropped', now: now.toISOString(), note });
    },
    release: (id, note) => {
      releaseRow.run(note, id);
    },
    purgeFinishedBefore: (day) => purgeFinished.run(toIsoDay(day)).changes,
    untouchedSince: (cutoff) => selectUntouched.all(cutoff.toISOString()).map(toCalendar),
  };
}

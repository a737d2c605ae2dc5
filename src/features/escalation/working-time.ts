import { addDays, calendarDateIn, instantAt, nonWorkingDayReason } from '../../core/calendar.js';

/**
 * Working time: 09:00–17:00 Monday to Friday in the bot's time zone (Europe/Paris), French public holidays off.
 * Reminders count in working time so that a question asked on Friday evening is not "late" on Saturday morning.
 */

export const WORKDAY_START_HOUR = 9;
export const WORKDAY_END_HOUR = 17;
export const WORKDAY_MINUTES = (WORKDAY_END_HOUR - WORKDAY_START_HOUR) * 60;

const MINUTE_MS = 60_000;

/**
 * The longest configurable duration: about a year of working days. A ticket's fallback comes after twice the reminder
 * delay, and `addWorkingTime` looks no further than ten years ahead, so anything longer could never be scheduled.
 */
export const MAX_WORKING_DAYS = 250;

/**
 * `1d` (one working day = 8 h), `4h`, `90m`, or combinations such as `1d4h`; undefined when unreadable, zero or longer
 * than MAX_WORKING_DAYS.
 */
export function parseWorkingDuration(text: string): number | undefined {
  const compact = text.trim().toLowerCase().replace(/\s+/g, '');
  if (!/^(\d+(d|j|h|m|min))+$/.test(compact)) return undefined;
  let minutes = 0;
  for (const [, amount, unit] of compact.matchAll(/(\d+)(min|d|j|h|m)/g)) {
    const value = Number(amount);
    if (unit === 'd' || unit === 'j') minutes += value * WORKDAY_MINUTES;
    else if (unit === 'h') minutes += value * 60;
    else minutes += value;
  }
  return minutes > 0 && minutes <= MAX_WORKING_DAYS * WORKDAY_MINUTES ? minutes : undefined;
}

/** `480` → « 1 jour ouvré », `90` → « 1 h 30 ouvrées ». */
export function describeWorkingDuration(minutes: number): string {
  if (minutes % WORKDAY_MINUTES === 0) {
    const days = minutes / WORKDAY_MINUTES;
    return `${days} jour${days > 1 ? 's' : ''} ouvré${days > 1 ? 's' : ''}`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min ouvrées`;
  return `${hours} h${rest > 0 ? ` ${String(rest).padStart(2, '0')}` : ''} ouvrées`;
}

/** True on Saturdays, Sundays and French public holidays (in `timeZone`). */
export function isDayOff(at: Date, timeZone: string): boolean {
  return nonWorkingDayReason(calendarDateIn(at, timeZone)) !== undefined;
}

/** `hour`:00 local time, `dayOffset` days after the local day of `at`. */
function atLocalHour(at: Date, dayOffset: number, hour: number, timeZone: string): Date {
  return instantAt(addDays(calendarDateIn(at, timeZone), dayOffset), hour, timeZone);
}

/**
 * The instant `minutes` of working time after `start`. Time before 09:00, after 17:00, on week-ends and on public
 * holidays does not count. Working hours never straddle a DST change (those happen at night), so within one working
 * day wall-clock minutes and real minutes are the same.
 */
export function addWorkingTime(start: Date, minutes: number, timeZone: string): Date {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`invalid working duration: ${minutes}`);
  if (minutes === 0) return new Date(start.getTime());
  let cursor = new Date(start.getTime());
  let remaining = minutes;
  for (let guard = 0; guard < 3660; guard += 1) {
    if (isDayOff(cursor, timeZone)) {
      cursor = atLocalHour(cursor, 1, WORKDAY_START_HOUR, timeZone);
      continue;
    }
    const dayStart = atLocalHour(cursor, 0, WORKDAY_START_HOUR, timeZone);
    const dayEnd = atLocalHour(cursor, 0, WORKDAY_END_HOUR, timeZone);
    if (cursor < dayStart) cursor = dayStart;
    if (cursor >= dayEnd) {
      cursor = atLocalHour(cursor, 1, WORKDAY_START_HOUR, timeZone);
      continue;
    }
    if (remaining === 0) return cursor;
    const available = (dayEnd.getTime() - cursor.getTime()) / MINUTE_MS;
    if (remaining <= available) return new Date(cursor.getTime() + remaining * MINUTE_MS);
    remaining -= available;
    cursor = atLocalHour(cursor, 1, WORKDAY_START_HOUR, timeZone);
  }
  throw new RangeError('working duration too long');
}

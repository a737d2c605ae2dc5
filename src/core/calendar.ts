import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns/format';
import { fr } from 'date-fns/locale/fr';
import { frenchPublicHolidayName } from './french-holidays.js';

/**
 * Calendar days, without time of day or time zone: the deadline rules work on these only, so that DST changes and
 * server time zones cannot shift a date. `today` is always the date in the bot's time zone (Europe/Paris).
 */
export interface CalendarDate {
  year: number;
  /** 1-12 */
  month: number;
  /** 1-31 */
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isExistingDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/**
 * Adds (or, when negative, subtracts) calendar months « de quantième à quantième »: same day number, N months later.
 * When that day does not exist in the target month, the LAST DAY of the target month is used (the usual French rule,
 * CPC art. 641): 31/08/2026 + 6 months → 28/02/2027; 31/08/2023 + 6 months → 29/02/2024; 31/03/2025 − 1 month →
 * 28/02/2025. Plain `Date#setMonth` would overflow into March instead.
 */
export function addMonthsClamped(date: CalendarDate, months: number): CalendarDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** Same clamping for years: 29/02/2024 + 3 years → 28/02/2027. */
export function addYearsClamped(date: CalendarDate, years: number): CalendarDate {
  return addMonthsClamped(date, years * 12);
}

function toUtcMs(date: CalendarDate): number {
  return Date.UTC(date.year, date.month - 1, date.day);
}

const DAY_MS = 86_400_000;

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). UTC arithmetic: no DST hour lost. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const shifted = new Date(toUtcMs(date) + days * DAY_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return toUtcMs(a) - toUtcMs(b);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: CalendarDate): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

export function toIsoDay(date: CalendarDate): string {
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

export function fromIsoDay(iso: string): CalendarDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new Error(`not an ISO calendar day: ${iso}`);
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (!isExistingDate(date.year, date.month, date.day)) throw new Error(`not an existing day: ${iso}`);
  return date;
}

/** The calendar date of an instant in a time zone (« today » = the Paris date of `now`). */
export function calendarDateIn(instant: Date, timeZone: string): CalendarDate {
  const zoned = new TZDate(instant.getTime(), timeZone);
  return { year: zoned.getFullYear(), month: zoned.getMonth() + 1, day: zoned.getDate() };
}

/** The instant of a wall-clock time on a calendar date in a time zone (09:00 Paris → 07:00 or 08:00 UTC). */
export function instantAt(date: CalendarDate, hour: number, timeZone: string): Date {
  return new Date(new TZDate(date.year, date.month - 1, date.day, hour, 0, 0, timeZone).getTime());
}

/** A local-time Date at noon, only for formatting with date-fns (noon keeps clear of any DST edge). */
function formattable(date: CalendarDate): Date {
  return new Date(date.year, date.month - 1, date.day, 12);
}

/** « lundi 31 août 2026 », « mardi 1er septembre 2026 » */
export function formatLong(date: CalendarDate): string {
  return format(formattable(date), 'EEEE do MMMM yyyy', { locale: fr });
}

/** « 31/08/2026 » */
export function formatShort(date: CalendarDate): string {
  return format(formattable(date), 'dd/MM/yyyy');
}

/** Why a date deserves a warning: « un samedi », « un dimanche », « un jour férié (Noël) », or undefined. */
export function nonWorkingDayReason(date: CalendarDate): string | undefined {
  const holiday = frenchPublicHolidayName(toIsoDay(date));
  if (holiday) return `un jour férié (${holiday})`;
  const weekday = weekdayOf(date);
  if (weekday === 6) return 'un samedi';
  if (weekday === 0) return 'un dimanche';
  return undefined;
}

import { calendarDateIn, daysInMonth, isExistingDate, type CalendarDate } from '../../core/calendar.js';
import { foldText } from '../../core/text.js';
import * as T from './texts.js';

// Calendar days and their arithmetic live in core (escalation counts working days with them too).
export * from '../../core/calendar.js';

// ---------------------------------------------------------------------------------------------------------------
// Parsing what people type: 31/08/2026, 31-08-2026, 31.08.26, 2026-08-31, 31 août 2026, 31 aout 2026, 1er août 2026.

export type ParseResult = { ok: true; date: CalendarDate } | { ok: false; message: string };

export { DATE_EXAMPLE } from './texts.js';

/** How far from today a date may be before we ask the user to check it (years). */
export const MAX_YEARS_BEFORE = 10;
export const MAX_YEARS_AFTER = 5;

/** Month words as typed (folded: no accents, lower case), full or abbreviated, to their number. */
const MONTHS: Record<string, number> = {
  janvier: 1,
  janv: 1,
  fevrier: 2,
  fevr: 2,
  fev: 2,
  mars: 3,
  avril: 4,
  avr: 4,
  mai: 5,
  juin: 6,
  juillet: 7,
  juil: 7,
  aout: 8,
  septembre: 9,
  sept: 9,
  octobre: 10,
  oct: 10,
  novembre: 11,
  nov: 11,
  decembre: 12,
  dec: 12,
};

/** The numbers as typed; the month is not checked yet, and `year` may still be two digits (`twoDigitYear`). */
interface Typed {
  day: number;
  month: number;
  year: number;
  twoDigitYear: boolean;
}

function recognise(raw: string): Typed | undefined {
  const text = foldText(raw).replace(/\.$/, '');
  let match = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/.exec(text);
  if (match) {
    const [, day = '', , month = '', year = ''] = match;
    return { day: Number(day), month: Number(month), year: Number(year), twoDigitYear: year.length === 2 };
  }
  match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (match) {
    const [, year = '', month = '', day = ''] = match;
    return { day: Number(day), month: Number(month), year: Number(year), twoDigitYear: false };
  }
  match = /^(\d{1,2})(?:er)? ([a-z]+)\.? (\d{4})$/.exec(text);
  if (match) {
    const [, day = '', monthWord = '', year = ''] = match;
    const month = MONTHS[monthWord];
    if (month === undefined) return undefined;
    return { day: Number(day), month, year: Number(year), twoDigitYear: false };
  }
  return undefined;
}

/**
 * Parses a French date typed by a user. `now` anchors two-digit years (« 26 » → 2026, the closest century) and the
 * plausibility window: dates more than MAX_YEARS_BEFORE years back or MAX_YEARS_AFTER years ahead are refused as
 * probable typos (1926, 2126). Every refusal is a French sentence with an example.
 */
export function parseFrenchDate(raw: string, now: Date, timeZone: string): ParseResult {
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, message: T.DATE_MISSING };
  const typed = recognise(trimmed);
  if (!typed) return { ok: false, message: T.dateUnknown(trimmed.slice(0, 40)) };
  const today = calendarDateIn(now, timeZone);
  const { day, month } = typed;
  const year = typed.twoDigitYear ? closestYear(typed.year, today.year) : typed.year;
  if (month < 1 || month > 12) return { ok: false, message: T.monthUnknown(month) };
  if (!isExistingDate(year, month, day)) return { ok: false, message: T.dayUnknown(day, month, year, daysInMonth(year, month)) };
  if (year < today.year - MAX_YEARS_BEFORE || year > today.year + MAX_YEARS_AFTER) {
    return { ok: false, message: T.yearImplausible(year, today.year - MAX_YEARS_BEFORE, today.year + MAX_YEARS_AFTER) };
  }
  return { ok: true, date: { year, month, day } };
}

/** A two-digit year as the year ending in those digits closest to `referenceYear` (a tie goes to the earlier one). */
function closestYear(twoDigits: number, referenceYear: number): number {
  const century = Math.floor(referenceYear / 100) * 100;
  const candidates = [century - 100 + twoDigits, century + twoDigits, century + 100 + twoDigits];
  return candidates.reduce((best, year) => (Math.abs(year - referenceYear) < Math.abs(best - referenceYear) ? year : best));
}

import { calendarDateIn, daysInMonth, isExistingDate, type CalendarDate } from '../../core/calendar.js';
import { foldText } from '../../core/text.js';

// Calendar days and their arithmetic live in core (escalation counts working days with them too).
export * from '../../core/calendar.js';

// ---------------------------------------------------------------------------------------------------------------
// Parsing what people type: 31/08/2026, 31-08-2026, 31.08.26, 2026-08-31, 31 août 2026, 31 aout 2026, 1er août 2026.

export type ParseResult = { ok: true; date: CalendarDate } | { ok: false; message: string };

export const DATE_EXAMPLE = '`31/08/2026` (ou `31-08-2026`, `31.08.26`, `2026-08-31`, `31 août 2026`)';

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

/** French month names, for messages: MONTH_NAMES[month - 1]. */
const MONTH_NAMES = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
] as const;

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
  if (trimmed === '') return { ok: false, message: `Indiquez une date, par exemple ${DATE_EXAMPLE}.` };
  const typed = recognise(trimmed);
  if (!typed) {
    return {
      ok: false,
      message: `Je ne reconnais pas la date « ${trimmed.slice(0, 40)} ». Écrivez-la par exemple ${DATE_EXAMPLE}.`,
    };
  }
  const today = calendarDateIn(now, timeZone);
  const { day, month } = typed;
  const year = typed.twoDigitYear ? closestYear(typed.year, today.year) : typed.year;
  if (month < 1 || month > 12) {
    return { ok: false, message: `Le mois « ${month} » n'existe pas. Écrivez la date par exemple ${DATE_EXAMPLE}.` };
  }
  if (!isExistingDate(year, month, day)) {
    return {
      ok: false,
      message: `Le ${day} ${MONTH_NAMES[month - 1]} ${year} n'existe pas (ce mois compte ${daysInMonth(year, month)} jours). Vérifiez la date.`,
    };
  }
  if (year < today.year - MAX_YEARS_BEFORE || year > today.year + MAX_YEARS_AFTER) {
    return {
      ok: false,
      message:
        `L'année ${year} paraît erronée : j'accepte les dates entre ${today.year - MAX_YEARS_BEFORE} et ` +
        `${today.year + MAX_YEARS_AFTER}. Vérifiez la date, par exemple ${DATE_EXAMPLE}.`,
    };
  }
  return { ok: true, date: { year, month, day } };
}

/** A two-digit year as the year ending in those digits closest to `referenceYear` (a tie goes to the earlier one). */
function closestYear(twoDigits: number, referenceYear: number): number {
  const century = Math.floor(referenceYear / 100) * 100;
  const candidates = [century - 100 + twoDigits, century + twoDigits, century + 100 + twoDigits];
  return candidates.reduce((best, year) => (Math.abs(year - referenceYear) < Math.abs(best - referenceYear) ? year : best));
}

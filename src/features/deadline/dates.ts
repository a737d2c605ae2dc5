import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { parse } from 'date-fns/parse';
import { fr } from 'date-fns/locale/fr';
import { addMonthsClamped, calendarDateIn, daysInMonth, isExistingDate, type CalendarDate } from '../../core/calendar.js';
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

const MONTHS: Record<string, string> = {
  janvier: 'janvier',
  janv: 'janvier',
  fevrier: 'février',
  fevr: 'février',
  fev: 'février',
  mars: 'mars',
  avril: 'avril',
  avr: 'avril',
  mai: 'mai',
  juin: 'juin',
  juillet: 'juillet',
  juil: 'juillet',
  aout: 'août',
  septembre: 'septembre',
  sept: 'septembre',
  octobre: 'octobre',
  oct: 'octobre',
  novembre: 'novembre',
  nov: 'novembre',
  decembre: 'décembre',
  dec: 'décembre',
};

const MONTH_NUMBERS: Record<string, number> = {
  janvier: 1,
  février: 2,
  mars: 3,
  avril: 4,
  mai: 5,
  juin: 6,
  juillet: 7,
  août: 8,
  septembre: 9,
  octobre: 10,
  novembre: 11,
  décembre: 12,
};

interface Candidate {
  /** What date-fns parses, in a canonical form. */
  text: string;
  pattern: string;
  /** The numbers as typed, to explain an impossible date. */
  year: number;
  month: number;
  day: number;
  twoDigitYear: boolean;
}

function recognise(raw: string): Candidate | undefined {
  const text = foldText(raw).replace(/\.$/, '');
  let match = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/.exec(text);
  if (match) {
    const [, day = '', , month = '', year = ''] = match;
    const twoDigitYear = year.length === 2;
    return {
      text: `${day}/${month}/${year}`,
      pattern: twoDigitYear ? 'd/M/yy' : 'd/M/yyyy',
      day: Number(day),
      month: Number(month),
      year: Number(year),
      twoDigitYear,
    };
  }
  match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (match) {
    const [, year = '', month = '', day = ''] = match;
    return { text: `${year}-${month}-${day}`, pattern: 'yyyy-M-d', day: Number(day), month: Number(month), year: Number(year), twoDigitYear: false };
  }
  match = /^(\d{1,2})(?:er)? ([a-z]+)\.? (\d{4})$/.exec(text);
  if (match) {
    const [, day = '', monthWord = '', year = ''] = match;
    const month = MONTHS[monthWord];
    if (!month) return undefined;
    return {
      text: `${day} ${month} ${year}`,
      pattern: 'd MMMM yyyy',
      day: Number(day),
      month: MONTH_NUMBERS[month] ?? 0,
      year: Number(year),
      twoDigitYear: false,
    };
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
  const candidate = recognise(trimmed);
  if (!candidate) {
    return {
      ok: false,
      message: `Je ne reconnais pas la date « ${trimmed.slice(0, 40)} ». Écrivez-la par exemple ${DATE_EXAMPLE}.`,
    };
  }
  const today = calendarDateIn(now, timeZone);
  const reference = new Date(today.year, today.month - 1, today.day, 12);
  const parsed = parse(candidate.text, candidate.pattern, reference, { locale: fr });
  if (!isValid(parsed)) {
    if (candidate.month < 1 || candidate.month > 12) {
      return { ok: false, message: `Le mois « ${candidate.month} » n'existe pas. Écrivez la date par exemple ${DATE_EXAMPLE}.` };
    }
    const year = candidate.twoDigitYear ? parsedTwoDigitYear(candidate.year, today.year) : candidate.year;
    const monthName = format(new Date(2000, candidate.month - 1, 1, 12), 'MMMM', { locale: fr });
    return {
      ok: false,
      message: `Le ${candidate.day} ${monthName} ${year} n'existe pas (ce mois compte ${daysInMonth(year, candidate.month)} jours). Vérifiez la date.`,
    };
  }
  const date = { year: parsed.getFullYear(), month: parsed.getMonth() + 1, day: parsed.getDate() };
  if (date.year < today.year - MAX_YEARS_BEFORE || date.year > today.year + MAX_YEARS_AFTER) {
    return {
      ok: false,
      message:
        `L'année ${date.year} paraît erronée : j'accepte les dates entre ${today.year - MAX_YEARS_BEFORE} et ` +
        `${today.year + MAX_YEARS_AFTER}. Vérifiez la date, par exemple ${DATE_EXAMPLE}.`,
    };
  }
  return { ok: true, date };
}

/** date-fns' rule for `yy`: the year closest to the reference year. */
function parsedTwoDigitYear(twoDigits: number, referenceYear: number): number {
  const century = Math.floor(referenceYear / 100) * 100;
  const candidates = [century - 100 + twoDigits, century + twoDigits, century + 100 + twoDigits];
  return candidates.reduce((best, year) => (Math.abs(year - referenceYear) < Math.abs(best - referenceYear) ? year : best));
}

import {
  addMonthsClamped,
  addYearsClamped,
  compareDates,
  daysBetween,
  nonWorkingDayReason,
  type CalendarDate,
} from './dates.js';

/**
 * The certification calendar, from the seeds:
 * - exams within SIX MONTHS after the end of training (seed 000 « présenté », seed 002 « inscription »);
 * - convocations sent AT LEAST ONE MONTH before the exam (seed 002), by e-mail and/or post, employer informed;
 * - the employer must release the trainee on the exam day (seed 002);
 * - a Pix certificate is valid THREE YEARS (seed 002; the starting point is not given, so the date is indicative).
 * Months are counted « de quantième à quantième » with month-end clamping (see `addMonthsClamped`). No shift for
 * weekends or public holidays: the sources give none, so we only warn.
 */
export const EXAM_WINDOW_MONTHS = 6;
export const CONVOCATION_NOTICE_MONTHS = 1;
export const PIX_VALIDITY_YEARS = 3;
/** Under this many days before the six-month limit, the status is « bientôt ». */
export const SOON_DAYS = 30;

export interface CalendarInput {
  end?: CalendarDate;
  exam?: CalendarDate;
  pix?: CalendarDate;
}

export type Status = 'a_venir' | 'bientot' | 'depasse';

export interface EndFacts {
  end: CalendarDate;
  /** Latest date to be presented to both exams: end + 6 months, clamped. */
  limit: CalendarDate;
  /** Why the limit deserves a warning (weekend, public holiday), if it does. */
  limitWarning?: string;
  /** If no convocation has arrived by this date (limit − 1 month), contact the training body. */
  worryFrom: CalendarDate;
  daysLeft: number;
  status: Status;
}

export interface ExamFacts {
  exam: CalendarDate;
  /** The convocation should have been sent by this date (exam − 1 month, clamped; seed 002: « envoyées au moins un mois avant »). */
  convocationBy: CalendarDate;
  daysLeft: number;
  examWarning?: string;
  /** Set when an end date is known and the exam is after the six-month limit. */
  afterLimit: boolean;
  /** Set when an end date is known and the exam is BEFORE it: the exams come after the training, so one date is probably a typo. */
  beforeEnd: boolean;
}

export interface PixFacts {
  pix: CalendarDate;
  validUntil: CalendarDate;
  daysLeft: number;
}

export interface CalendarFacts {
  today: CalendarDate;
  end?: EndFacts;
  exam?: ExamFacts;
  pix?: PixFacts;
}

export function examLimit(end: CalendarDate): CalendarDate {
  return addMonthsClamped(end, EXAM_WINDOW_MONTHS);
}

/**
 * A saved calendar whose certification is over on `day`: its limit (from the end of training), its exam and the end
 * of validity of its Pix certificate are all before that day. Retention erases such calendars once nobody has touched
 * them for the period.
 */
export function calendarIsOver(dates: { end?: CalendarDate; exam?: CalendarDate; pix?: CalendarDate }, day: CalendarDate): boolean {
  const relevant = [dates.end && examLimit(dates.end), dates.exam, dates.pix && pixValidUntil(dates.pix)].filter(
    (date): date is CalendarDate => date !== undefined,
  );
  return relevant.every((date) => compareDates(date, day) < 0);
}

export function convocationDeadline(exam: CalendarDate): CalendarDate {
  return addMonthsClamped(exam, -CONVOCATION_NOTICE_MONTHS);
}

export function pixValidUntil(pix: CalendarDate): CalendarDate {
  return addYearsClamped(pix, PIX_VALIDITY_YEARS);
}

export function statusFor(daysLeft: number): Status {
  if (daysLeft < 0) return 'depasse';
  if (daysLeft <= SOON_DAYS) return 'bientot';
  return 'a_venir';
}

/** Everything the table shows, from the saved dates and today's Paris date. Pure. */
export function computeCalendar(input: CalendarInput, today: CalendarDate): CalendarFacts {
  const facts: CalendarFacts = { today };
  let limit: CalendarDate | undefined;
  if (input.end) {
    limit = examLimit(input.end);
    const daysLeft = daysBetween(today, limit);
    facts.end = {
      end: input.end,
      limit,
      limitWarning: nonWorkingDayReason(limit),
      worryFrom: addMonthsClamped(limit, -CONVOCATION_NOTICE_MONTHS),
      daysLeft,
      status: statusFor(daysLeft),
    };
  }
  if (input.exam) {
    facts.exam = {
      exam: input.exam,
      convocationBy: convocationDeadline(input.exam),
      daysLeft: daysBetween(today, input.exam),
      examWarning: nonWorkingDayReason(input.exam),
      afterLimit: limit !== undefined && compareDates(input.exam, limit) > 0,
      beforeEnd: input.end !== undefined && compareDates(input.exam, input.end) < 0,
    };
  }
  if (input.pix) {
    const validUntil = pixValidUntil(input.pix);
    facts.pix = { pix: input.pix, validUntil, daysLeft: daysBetween(today, validUntil) };
  }
  return facts;
}

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
/** Under this many days before the six-month limit, the exam or the convocation date, the status is « bientôt ». */
export const SOON_DAYS = 30;
/** A six-month limit passed longer ago than this: the end-of-training date was probably mistyped (wrong year). */
export const LIMIT_LONG_PAST_DAYS = 365;
/** An end of training further ahead than this: trainings last months, so the year was probably mistyped. */
export const END_FAR_AHEAD_DAYS = 2 * 365;

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
  /** Set when the date itself looks mistyped: its limit passed over a year ago, or it is years ahead. */
  implausible?: 'long_past' | 'far_ahead';
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
  /** Days from today to the Pix date itself (negative once passed). */
  daysToPix: number;
  /** A Sunday, a Saturday or a public holiday: Pix sessions are held in approved centres on working days. */
  pixWarning?: string;
  /** Set when an end date is known and the Pix date is BEFORE it: the exams come after the training. */
  beforeEnd: boolean;
  /** Set when an end date is known and the Pix date is after the six-month limit. */
  afterLimit: boolean;
}

/** The nearest step still ahead (or today): what the status line speaks of. */
export interface NextStep {
  what: 'limit' | 'exam' | 'convocation';
  date: CalendarDate;
  daysLeft: number;
}

export interface CalendarFacts {
  today: CalendarDate;
  end?: EndFacts;
  exam?: ExamFacts;
  pix?: PixFacts;
  /** The nearest step ahead among the limit, the exam and the date its convocation is due by. */
  next?: NextStep;
  /**
   * The overall status: past when the six-month limit is; « bientôt » when the nearest step is within SOON_DAYS (an
   * exam whose convocation is due in eight days is not « vous avez le temps »); « à venir » otherwise.
   */
  status?: Status;
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
    if (daysLeft < -LIMIT_LONG_PAST_DAYS) facts.end.implausible = 'long_past';
    else if (daysBetween(today, input.end) > END_FAR_AHEAD_DAYS) facts.end.implausible = 'far_ahead';
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
    facts.pix = {
      pix: input.pix,
      validUntil,
      daysLeft: daysBetween(today, validUntil),
      daysToPix: daysBetween(today, input.pix),
      pixWarning: nonWorkingDayReason(input.pix),
      beforeEnd: input.end !== undefined && compareDates(input.pix, input.end) < 0,
      afterLimit: limit !== undefined && compareDates(input.pix, limit) > 0,
    };
  }
  const steps: NextStep[] = [];
  if (facts.end) steps.push({ what: 'limit', date: facts.end.limit, daysLeft: facts.end.daysLeft });
  if (facts.exam) {
    steps.push({ what: 'exam', date: facts.exam.exam, daysLeft: facts.exam.daysLeft });
    // The convocation matters only while the exam is ahead.
    if (facts.exam.daysLeft >= 0) {
      steps.push({ what: 'convocation', date: facts.exam.convocationBy, daysLeft: daysBetween(today, facts.exam.convocationBy) });
    }
  }
  const ahead = steps.filter((step) => step.daysLeft >= 0).sort((a, b) => a.daysLeft - b.daysLeft);
  facts.next = ahead[0];
  if (facts.end?.status === 'depasse') facts.status = 'depasse';
  else if (facts.next) facts.status = facts.next.daysLeft <= SOON_DAYS ? 'bientot' : 'a_venir';
  else if (facts.end) facts.status = facts.end.status;
  return facts;
}

import { daysBetween, formatLong, type CalendarDate } from './dates.js';
import type { CalendarFacts, EndFacts, ExamFacts, PixFacts } from './rules.js';
import * as T from './texts.js';

/** The calendar as text: a small Markdown table plus a few plain sentences, all worded in texts.ts. Pure. */

export { capitalize, daysPhrase, SIX_MONTHS_SOURCES_NOTE } from './texts.js';

const long = (date: CalendarDate): string => T.capitalize(formatLong(date));
const row = (title: string, value: string): string => `| ${title} | ${value} |`;

/**
 * The one status sentence, from the overall status: past limit, or the nearest step when it is within 30 days (the
 * limit, the exam, or the date its convocation is due by), or « vous avez le temps ».
 */
export function statusLine(facts: Pick<CalendarFacts, 'status' | 'next'>): string | undefined {
  switch (facts.status) {
    case undefined:
      return undefined;
    case 'depasse':
      return T.STATUS_LINE.depasse;
    case 'a_venir':
      return T.STATUS_LINE.a_venir;
    case 'bientot': {
      const next = facts.next;
      if (next?.what === 'exam') return T.examSoon(next.daysLeft);
      if (next?.what === 'convocation') return T.convocationSoon(next.date, next.daysLeft);
      return T.STATUS_LINE.limitSoon;
    }
  }
}

export function endRows(end: EndFacts): string[] {
  return [row(T.ROWS.end, long(end.end)), row(T.ROWS.limit, `**${long(end.limit)}**`), row(T.ROWS.remaining, T.remainingCell(end.daysLeft))];
}

export function examRows(exam: ExamFacts): string[] {
  return [row(T.ROWS.exam, `${long(exam.exam)} (${T.daysPhrase(exam.daysLeft)})`), row(T.ROWS.convocationBy, long(exam.convocationBy))];
}

export function pixRows(pix: PixFacts): string[] {
  return [row(T.ROWS.pix, long(pix.pix)), row(T.ROWS.pixValidity, long(pix.validUntil))];
}

/**
 * The one sentence about a convocation that has not arrived, from the end date: convocations are sent at least one
 * month before the exam (seed 002) and the exam is due by the six-month limit, so without one by `worryFrom`
 * (limit − 1 month) the user should ask the training body, which registers them (seed 002). Nothing once an exam date
 * is saved (the exam notes give that exam's convocation date) or once the limit is past (the status line says what to do).
 */
export function convocationNote(end: EndFacts, today: CalendarDate, examSaved: boolean): string | undefined {
  if (examSaved || end.status === 'depasse') return undefined;
  return daysBetween(today, end.worryFrom) >= 0 ? T.convocationWorry(end.worryFrom) : T.CONVOCATION_WORRY_NOW;
}

export function endNotes(end: EndFacts, today: CalendarDate, examSaved = false): string[] {
  const notes: string[] = [];
  if (end.implausible === 'long_past') notes.push(T.endLongPast(end.end, -end.daysLeft));
  if (end.implausible === 'far_ahead') notes.push(T.endFarAhead(end.end));
  if (end.limitWarning) notes.push(T.limitOnNonWorkingDay(end.limitWarning));
  const convocation = convocationNote(end, today, examSaved);
  if (convocation) notes.push(convocation);
  return notes;
}

export function examNotes(exam: ExamFacts, today: CalendarDate, end?: EndFacts): string[] {
  const notes: string[] = [];
  // Seeds 000 and 002: the exams come after (« au terme de ») the training. Saved as typed, but never silently.
  if (exam.beforeEnd && end) notes.push(T.examBeforeEnd(exam.exam, end.end));
  if (exam.afterLimit) notes.push(T.EXAM_AFTER_LIMIT);
  if (exam.examWarning) notes.push(T.examOnNonWorkingDay(exam.examWarning));
  if (exam.daysLeft < 0) {
    // Seed 002: an absence is justified to the employer and the training body; a new date may then be offered.
    notes.push(T.EXAM_PASSED);
    return notes;
  }
  notes.push(T.convocationBy(exam.convocationBy, daysBetween(today, exam.convocationBy) >= 0));
  notes.push(T.EMPLOYER_RELEASE);
  return notes;
}

export function pixNotes(pix: PixFacts, end?: EndFacts): string[] {
  const notes: string[] = [];
  if (pix.beforeEnd && end) notes.push(T.pixBeforeEnd(pix.pix, end.end));
  if (pix.afterLimit) notes.push(T.PIX_AFTER_LIMIT);
  if (pix.pixWarning) notes.push(T.pixOnNonWorkingDay(pix.pixWarning, pix.daysToPix >= 0));
  notes.push(T.pixValidityNote(pix.daysLeft < 0));
  return notes;
}

/** The full reply text. `title` precedes the table (e.g. « Votre calendrier de certification »). */
export function renderCalendar(facts: CalendarFacts, title: string = T.DEFAULT_TITLE): string {
  const rows: string[] = [];
  const notes: string[] = [];
  if (facts.end) {
    rows.push(...endRows(facts.end));
    notes.push(...endNotes(facts.end, facts.today, facts.exam !== undefined));
  }
  if (facts.exam) {
    rows.push(...examRows(facts.exam));
    notes.push(...examNotes(facts.exam, facts.today, facts.end));
  }
  if (facts.pix) {
    rows.push(...pixRows(facts.pix));
    notes.push(...pixNotes(facts.pix, facts.end));
  }
  // The status after the dates' own notes, then what the sources disagree on (both once, for the whole calendar).
  if (facts.end) {
    const status = statusLine(facts);
    if (status) notes.push(status);
    notes.push(T.SIX_MONTHS_SOURCES_NOTE);
  } else {
    notes.push(T.ASK_END_TOO);
  }
  const table = ['| | |', '|:--|:--|', ...rows].join('\n');
  return [T.calendarTitle(title, facts.today), table, ...notes].join('\n\n');
}

import { addMonths } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonthsClamped,
  calendarDateIn,
  compareDates,
  daysBetween,
  formatLong,
  fromIsoDay,
  instantAt,
  nonWorkingDayReason,
  toIsoDay,
  type CalendarDate,
} from '../../../src/features/deadline/dates.js';
import { calendarIsOver, computeCalendar, convocationDeadline, examLimit, pixValidUntil, statusFor } from '../../../src/features/deadline/rules.js';

const d = (iso: string): CalendarDate => fromIsoDay(iso);
const PARIS = 'Europe/Paris';

describe('six-month limit (domain-facts §3.3 worked examples)', () => {
  it.each([
    ['2024-03-15', '2024-09-15', 'dimanche'],
    ['2024-03-31', '2024-09-30', 'lundi'],
    ['2024-08-31', '2025-02-28', 'vendredi'],
    ['2023-08-31', '2024-02-29', 'jeudi'],
    ['2025-08-29', '2026-02-28', 'samedi'],
    ['2025-08-30', '2026-02-28', 'samedi'],
    ['2024-12-31', '2025-06-30', 'lundi'],
    ['2026-08-31', '2027-02-28', 'dimanche'],
    ['2025-07-01', '2026-01-01', 'jeudi'],
  ])('end %s → limit %s (%s)', (end, limit, weekday) => {
    const result = examLimit(d(end));
    expect(toIsoDay(result)).toBe(limit);
    expect(formatLong(result).startsWith(weekday)).toBe(true);
  });

  it.each([
    ['2025-03-31', '2025-02-28'],
    ['2024-03-30', '2024-02-29'],
    ['2027-01-12', '2026-12-12'],
    ['2026-01-15', '2025-12-15'],
    ['2024-05-31', '2024-04-30'],
  ])('exam %s → convocation by %s', (exam, by) => {
    expect(toIsoDay(convocationDeadline(d(exam)))).toBe(by);
  });

  it.each([
    ['2025-06-30', '2028-06-30'],
    ['2024-02-29', '2027-02-28'],
    ['2026-05-10', '2029-05-10'],
  ])('Pix %s → valid until %s', (pix, until) => {
    expect(toIsoDay(pixValidUntil(d(pix)))).toBe(until);
  });

  it('crosses year ends in both directions', () => {
    expect(toIsoDay(addMonthsClamped(d('2026-11-30'), 3))).toBe('2027-02-28');
    expect(toIsoDay(addMonthsClamped(d('2027-01-31'), -2))).toBe('2026-11-30');
    expect(toIsoDay(addMonthsClamped(d('2099-12-31'), 2))).toBe('2100-02-28'); // 2100 is not a leap year
    expect(toIsoDay(addMonthsClamped(d('1999-12-31'), 2))).toBe('2000-02-29'); // 2000 is
  });
});

describe('weekend and public-holiday warnings (no shift)', () => {
  it.each([
    ['2024-09-15', 'un dimanche'],
    ['2026-02-28', 'un samedi'],
    ['2026-12-25', 'un jour férié (Noël)'],
    ['2027-05-01', 'un jour férié (Fête du Travail)'],
    ['2025-06-30', undefined],
  ])('%s → %s', (iso, reason) => {
    expect(nonWorkingDayReason(d(iso))).toBe(reason);
  });

  it('keeps the limit itself and warns', () => {
    const facts = computeCalendar({ end: d('2024-03-15') }, d('2024-04-01'));
    expect(toIsoDay(facts.end!.limit)).toBe('2024-09-15');
    expect(facts.end!.limitWarning).toBe('un dimanche');
  });
});

describe('today in Europe/Paris and day counts', () => {
  it('takes the Paris date of now, not the UTC one', () => {
    expect(toIsoDay(calendarDateIn(new Date('2026-12-31T23:30:00Z'), PARIS))).toBe('2027-01-01');
    expect(toIsoDay(calendarDateIn(new Date('2026-07-14T22:30:00Z'), PARIS))).toBe('2026-07-15');
    expect(toIsoDay(calendarDateIn(new Date('2026-07-14T21:30:00Z'), PARIS))).toBe('2026-07-14');
  });

  it('counts whole calendar days across DST changes', () => {
    expect(daysBetween(d('2026-03-28'), d('2026-03-30'))).toBe(2); // spring forward on 29 March 2026
    expect(daysBetween(d('2026-10-24'), d('2026-10-26'))).toBe(2); // fall back on 25 October 2026
    expect(daysBetween(d('2026-12-31'), d('2027-01-01'))).toBe(1);
    expect(daysBetween(d('2024-02-28'), d('2024-03-01'))).toBe(2);
    expect(toIsoDay(addDays(d('2026-03-29'), -30))).toBe('2026-02-27');
  });

  it('places 09:00 Paris at the right UTC instant in winter and summer', () => {
    expect(instantAt(d('2027-01-29'), 9, PARIS).toISOString()).toBe('2027-01-29T08:00:00.000Z');
    expect(instantAt(d('2026-07-01'), 9, PARIS).toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(instantAt(d('2026-03-29'), 9, PARIS).toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });

  it.each([
    [31, 'a_venir'],
    [30, 'bientot'],
    [0, 'bientot'],
    [-1, 'depasse'],
  ] as const)('status for %i days left is %s', (days, status) => {
    expect(statusFor(days)).toBe(status);
  });

  it('computes days left and status from today', () => {
    const facts = computeCalendar({ end: d('2026-08-31') }, d('2026-11-23'));
    expect(facts.end).toMatchObject({ daysLeft: 97, status: 'a_venir' });
    expect(toIsoDay(facts.end!.worryFrom)).toBe('2027-01-28');
    const late = computeCalendar({ end: d('2026-03-31') }, d('2026-11-23'));
    expect(late.end).toMatchObject({ status: 'depasse' });
    expect(toIsoDay(late.end!.limit)).toBe('2026-09-30');
  });

  it('flags an exam after the six-month limit', () => {
    const facts = computeCalendar({ end: d('2026-08-31'), exam: d('2027-03-01') }, d('2026-11-23'));
    expect(facts.exam!.afterLimit).toBe(true);
    expect(computeCalendar({ end: d('2026-08-31'), exam: d('2027-02-28') }, d('2026-11-23')).exam!.afterLimit).toBe(false);
    expect(computeCalendar({ exam: d('2027-03-01') }, d('2026-11-23')).exam!.afterLimit).toBe(false);
  });

  it('flags an exam before the end of training (a probable typo), not one on the last day', () => {
    expect(computeCalendar({ end: d('2026-08-31'), exam: d('2026-08-30') }, d('2026-06-01')).exam!.beforeEnd).toBe(true);
    expect(computeCalendar({ end: d('2026-08-31'), exam: d('2026-08-31') }, d('2026-06-01')).exam!.beforeEnd).toBe(false);
    expect(computeCalendar({ exam: d('2026-08-30') }, d('2026-06-01')).exam!.beforeEnd).toBe(false);
  });
});

describe('the Pix certificate in the calendar', () => {
  it('shows until when it is valid and how many days are left, from today', () => {
    const facts = computeCalendar({ pix: d('2026-05-10') }, d('2026-11-23'));
    expect(facts.today).toEqual(d('2026-11-23'));
    // 10 May 2026 is a Sunday: the calendar says so (issue 18); with no end of training, no other warning.
    expect(facts.pix).toEqual({
      pix: d('2026-05-10'),
      validUntil: d('2029-05-10'),
      daysLeft: 899,
      daysToPix: -197,
      beforeEnd: false,
      afterLimit: false,
      pixWarning: 'un dimanche',
    });
    expect(computeCalendar({ end: d('2026-08-31') }, d('2026-11-23')).pix).toBeUndefined();
  });
});

describe('when a saved calendar is over (retention erases it after the period)', () => {
  it('is over only the day after the six-month limit, not on it nor between the end and the limit', () => {
    const end = { end: d('2026-01-31') }; // limit 2026-07-31
    expect(calendarIsOver(end, d('2026-03-01'))).toBe(false);
    expect(calendarIsOver(end, d('2026-07-31'))).toBe(false);
    expect(calendarIsOver(end, d('2026-08-01'))).toBe(true);
  });

  it('waits for the exam when it comes after the limit, and for the end of validity of the Pix certificate', () => {
    expect(calendarIsOver({ end: d('2026-01-31'), exam: d('2026-09-15') }, d('2026-08-15'))).toBe(false);
    expect(calendarIsOver({ end: d('2026-01-31'), exam: d('2026-09-15') }, d('2026-09-16'))).toBe(true);
    expect(calendarIsOver({ exam: d('2026-09-15') }, d('2026-09-15'))).toBe(false);
    const pix = { pix: d('2026-05-10') }; // valid until 2029-05-10
    expect(calendarIsOver(pix, d('2027-01-01'))).toBe(false);
    expect(calendarIsOver(pix, d('2029-05-10'))).toBe(false);
    expect(calendarIsOver(pix, d('2029-05-11'))).toBe(true);
    expect(calendarIsOver({ end: d('2026-01-31'), pix: d('2026-05-10') }, d('2026-08-01'))).toBe(false);
  });

  it('is over when nothing is saved', () => {
    expect(calendarIsOver({}, d('2026-01-01'))).toBe(true);
  });
});

describe('properties', () => {
  const calendarDate = fc
    .date({ min: new Date(Date.UTC(1990, 0, 1)), max: new Date(Date.UTC(2200, 11, 31)), noInvalidDate: true })
    .map((date) => ({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }));

  it('the limit is never before the end date and always falls in the sixth calendar month after it', () => {
    fc.assert(
      fc.property(calendarDate, (end) => {
        const limit = examLimit(end);
        expect(compareDates(limit, end)).toBeGreaterThan(0);
        expect(limit.year * 12 + limit.month - (end.year * 12 + end.month)).toBe(6);
        expect(limit.day).toBeLessThanOrEqual(end.day);
      }),
    );
  });

  it('the convocation date is always before the exam, in the previous calendar month', () => {
    fc.assert(
      fc.property(calendarDate, (exam) => {
        const by = convocationDeadline(exam);
        expect(compareDates(by, exam)).toBeLessThan(0);
        expect(exam.year * 12 + exam.month - (by.year * 12 + by.month)).toBe(1);
      }),
    );
  });

  it('agrees with date-fns addMonths (which also clamps to the month end)', () => {
    fc.assert(
      fc.property(calendarDate, fc.integer({ min: -36, max: 36 }), (date, months) => {
        const expected = addMonths(new Date(date.year, date.month - 1, date.day, 12), months);
        const actual = addMonthsClamped(date, months);
        expect([actual.year, actual.month, actual.day]).toEqual([expected.getFullYear(), expected.getMonth() + 1, expected.getDate()]);
      }),
    );
  });

  it('daysBetween and addDays are inverse', () => {
    fc.assert(
      fc.property(calendarDate, fc.integer({ min: -2000, max: 2000 }), (date, days) => {
        expect(daysBetween(date, addDays(date, days))).toBe(days);
      }),
    );
  });
});

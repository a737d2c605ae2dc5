import { createEvents, type DateArray } from 'ics';
import { addDays, toIsoDay, type CalendarDate } from './dates.js';
import type { CalendarFacts } from './rules.js';
import { ICS } from './texts.js';

/**
 * An iCalendar file (RFC 5545) of the user's dates, as all-day events: the six-month limit, the « no convocation
 * yet? » alert, the exam, the latest convocation date and the indicative end of Pix validity. Pure: `now` stamps it.
 */

interface AllDayEvent {
  id: string;
  date: CalendarDate;
  summary: string;
  description: string;
}

export function calendarEvents(facts: CalendarFacts): AllDayEvent[] {
  const events: AllDayEvent[] = [];
  if (facts.end) {
    events.push({
      id: 'limite-six-mois',
      date: facts.end.limit,
      ...ICS.limit,
    });
    // Same rule as the calendar text: once an exam date is saved, its own convocation date replaces this alert.
    if (!facts.exam) {
      events.push({
        id: 'alerte-convocation',
        date: facts.end.worryFrom,
        ...ICS.worry,
      });
    }
  }
  if (facts.exam) {
    events.push({
      id: 'examen',
      date: facts.exam.exam,
      ...ICS.exam,
    });
    events.push({
      id: 'convocation',
      date: facts.exam.convocationBy,
      ...ICS.convocation,
    });
  }
  if (facts.pix) {
    events.push({
      id: 'fin-validite-pix',
      date: facts.pix.validUntil,
      ...ICS.pix,
    });
  }
  return events;
}

/** Built with the `ics` library (escaping, line folding, CRLF are its business). */
export function buildIcs(facts: CalendarFacts, userId: string, now: Date): string {
  const owner = userId.replace(/[^A-Za-z0-9-]/g, '');
  const asArray = (date: CalendarDate): DateArray => [date.year, date.month, date.day];
  const { error, value } = createEvents(
    calendarEvents(facts).map((event) => ({
      uid: `${event.id}-${toIsoDay(event.date).replace(/-/g, '')}-${owner}@certif-bot`,
      start: asArray(event.date),
      end: asArray(addDays(event.date, 1)),
      title: event.summary,
      description: event.description,
      transp: 'TRANSPARENT' as const,
      timestamp: now.getTime(),
      productId: '-//certif-bot//deadline//FR',
      calName: ICS.calendarName,
    })),
  );
  if (error || !value) throw new Error(`calendar file could not be built: ${String(error)}`);
  return value;
}

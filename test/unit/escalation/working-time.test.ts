import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { addWorkingTime, describeWorkingDuration, isDayOff, MAX_WORKING_DAYS, parseWorkingDuration } from '../../../src/features/escalation/working-time.js';

const PARIS = 'Europe/Paris';
const add = (start: string, minutes: number) => addWorkingTime(new Date(start), minutes, PARIS).toISOString();

describe('working time (09:00–17:00 Monday–Friday, Paris, public holidays off)', () => {
  it('adds one working day within the week', () => {
    // Monday 23 November 2026, 10:00 in Paris (UTC+1) → Tuesday 10:00.
    expect(add('2026-11-23T09:00:00Z', 480)).toBe('2026-11-24T09:00:00.000Z');
  });

  it('carries what is left of a day over the week-end', () => {
    // Friday 16:00 + 2 h → Monday 10:00.
    expect(add('2026-11-27T15:00:00Z', 120)).toBe('2026-11-30T09:00:00.000Z');
  });

  it('starts counting at 09:00 on Monday when asked on Saturday', () => {
    expect(add('2026-11-28T11:00:00Z', 90)).toBe('2026-11-30T09:30:00.000Z');
  });

  it('starts counting at 09:00 when asked early, and the next morning when asked late', () => {
    expect(add('2026-11-23T06:00:00Z', 60)).toBe('2026-11-23T09:00:00.000Z');
    expect(add('2026-11-23T19:00:00Z', 60)).toBe('2026-11-24T09:00:00.000Z');
  });

  it('skips public holidays (Christmas) and the week-end after', () => {
    // Thursday 24 December 15:00 + 4 h: 2 h that day, Friday 25 is Noël, then Monday 28 at 11:00.
    expect(add('2026-12-24T14:00:00Z', 240)).toBe('2026-12-28T10:00:00.000Z');
  });

  it('skips 1 May (Fête du travail) falling on a Friday', () => {
    expect(add('2026-04-30T14:00:00Z', 120)).toBe('2026-05-04T08:00:00.000Z');
  });

  it('keeps working hours in local time across daylight-saving changes', () => {
    // Spring forward on 29 March 2026: Friday 16:00 CET + 2 h → Monday 10:00 CEST (08:00 UTC).
    expect(add('2026-03-27T15:00:00Z', 120)).toBe('2026-03-30T08:00:00.000Z');
    // In 2027 the change (28 March) is Easter Sunday: Easter Monday is off too.
    expect(add('2027-03-26T15:00:00Z', 120)).toBe('2027-03-30T08:00:00.000Z');
    // Fall back on 25 October 2026: Friday 16:00 CEST + 2 h → Monday 10:00 CET (09:00 UTC).
    expect(add('2026-10-23T14:00:00Z', 120)).toBe('2026-10-26T09:00:00.000Z');
  });

  it('returns the start itself for a zero duration and refuses a negative one', () => {
    expect(add('2026-11-28T11:00:00Z', 0)).toBe('2026-11-28T11:00:00.000Z');
    expect(() => addWorkingTime(new Date(), -1, PARIS)).toThrow(RangeError);
  });

  it('ends a duration that exactly fills the rest of the working day at 17:00, not at 09:00 the next day', () => {
    // Monday 10:00 in Paris + 7 h → Monday 17:00 (16:00 UTC); one more minute → Tuesday 09:01.
    expect(add('2026-11-23T09:00:00Z', 420)).toBe('2026-11-23T16:00:00.000Z');
    expect(add('2026-11-23T09:00:00Z', 421)).toBe('2026-11-24T08:01:00.000Z');
    // A whole working day asked for at 09:00 ends at 17:00 the same day.
    expect(add('2026-11-23T08:00:00Z', 480)).toBe('2026-11-23T16:00:00.000Z');
  });

  it('refuses an invalid duration, naming it, and one beyond its ten-year horizon', () => {
    expect(() => addWorkingTime(new Date(), -1, PARIS)).toThrow('invalid working duration: -1');
    expect(() => addWorkingTime(new Date(), Number.NaN, PARIS)).toThrow('invalid working duration: NaN');
    expect(() => addWorkingTime(new Date(), Number.POSITIVE_INFINITY, PARIS)).toThrow(RangeError);
    expect(() => addWorkingTime(new Date('2026-11-23T09:00:00Z'), 3000 * 480, PARIS)).toThrow('working duration too long');
  });

  it('knows days off', () => {
    expect(isDayOff(new Date('2026-12-25T10:00:00Z'), PARIS)).toBe(true);
    expect(isDayOff(new Date('2026-11-29T10:00:00Z'), PARIS)).toBe(true);
    expect(isDayOff(new Date('2026-11-30T10:00:00Z'), PARIS)).toBe(false);
  });
});

describe('working durations', () => {
  it.each([
    ['1d', 480],
    ['2j', 960],
    ['4h', 240],
    ['90m', 90],
    ['45min', 45],
    ['1d 4h', 720],
  ])('reads %s as %i working minutes', (text, minutes) => {
    expect(parseWorkingDuration(text)).toBe(minutes);
  });

  it.each(['', 'demain', '0h', '4', 'h4', '-1d', '4hxyz', '4h xyz', 'xyz4h', '1d4', '4 heures'])('rejects %j', (text) => {
    expect(parseWorkingDuration(text)).toBeUndefined();
  });

  it('describes durations in French', () => {
    expect(describeWorkingDuration(480)).toBe('1 jour ouvré');
    expect(describeWorkingDuration(960)).toBe('2 jours ouvrés');
    expect(describeWorkingDuration(90)).toBe('1 h 30 ouvrées');
    expect(describeWorkingDuration(45)).toBe('45 min ouvrées');
    expect(describeWorkingDuration(120)).toBe('2 h ouvrées');
    expect(describeWorkingDuration(65)).toBe('1 h 05 ouvrées');
    expect(describeWorkingDuration(600)).toBe('10 h ouvrées');
  });

  it('refuses a duration longer than a year of working days, which no ticket could be scheduled with', () => {
    expect(MAX_WORKING_DAYS).toBe(250);
    expect(parseWorkingDuration('250d')).toBe(250 * 480);
    expect(parseWorkingDuration('251d')).toBeUndefined();
    expect(parseWorkingDuration('250d1m')).toBeUndefined();
    expect(parseWorkingDuration('2000h')).toBe(2000 * 60);
    expect(parseWorkingDuration('99999999999999999999999d')).toBeUndefined();
    // The fallback comes after twice the reminder delay: both can always be scheduled.
    expect(() => addWorkingTime(new Date('2026-11-23T09:00:00Z'), 2 * 250 * 480, PARIS)).not.toThrow();
  });

  it('configures ESCALATION_REMIND_AFTER (default one working day) and rejects nonsense', () => {
    expect(loadConfig({}).escalation.remindAfterMinutes).toBe(480);
    expect(loadConfig({ ESCALATION_REMIND_AFTER: '4h' }).escalation.remindAfterMinutes).toBe(240);
    expect(() => loadConfig({ ESCALATION_REMIND_AFTER: 'bientôt' })).toThrow(ConfigError);
    expect(() => loadConfig({ ESCALATION_REMIND_AFTER: 'bientôt' })).toThrow(/ESCALATION_REMIND_AFTER/);
    // Accepted before: every `/referent` ticket then failed to be scheduled (« working duration too long »).
    expect(() => loadConfig({ ESCALATION_REMIND_AFTER: '3000d' })).toThrow(/ESCALATION_REMIND_AFTER.*au plus 250 jours ouvrés/);
  });
});

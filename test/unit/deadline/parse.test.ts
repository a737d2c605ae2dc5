import { describe, expect, it } from 'vitest';
import { parseFrenchDate, toIsoDay } from '../../../src/features/deadline/dates.js';

const NOW = new Date('2026-11-23T09:00:00Z');
const parse = (text: string) => parseFrenchDate(text, NOW, 'Europe/Paris');

describe('parseFrenchDate', () => {
  it.each([
    ['31/08/2026', '2026-08-31'],
    ['31-08-2026', '2026-08-31'],
    ['31.08.26', '2026-08-31'],
    ['31.08.2026', '2026-08-31'],
    ['2026-08-31', '2026-08-31'],
    ['31 août 2026', '2026-08-31'],
    ['31 aout 2026', '2026-08-31'],
    ['31 AOÛT 2026', '2026-08-31'],
    ['1er septembre 2026', '2026-09-01'],
    ['5/1/2027', '2027-01-05'],
    ['  12/01/2027  ', '2027-01-12'],
    ['29/02/2028', '2028-02-29'],
    ['3 fevrier 2027', '2027-02-03'],
    ['3 décembre 2026', '2026-12-03'],
  ])('accepts %s', (text, iso) => {
    const result = parse(text);
    expect(result.ok).toBe(true);
    if (result.ok) expect(toIsoDay(result.date)).toBe(iso);
  });

  it.each([
    ['31/02/2027', /31 février 2027 n'existe pas.*28 jours/],
    ['29/02/2027', /29 février 2027 n'existe pas/],
    ['31/04/2026', /31 avril 2026 n'existe pas.*30 jours/],
    ['31.06.27', /31 juin 2027 n'existe pas/],
    ['12/13/2026', /mois « 13 » n'existe pas/],
  ])('refuses the impossible date %s', (text, expected) => {
    const result = parse(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(expected);
  });

  it.each(['31/08/1926', '2126-08-31', '31 août 2126', '01/01/2015'])('refuses the far-off date %s', (text) => {
    const result = parse(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/^L'année \d{4} paraît erronée .*31\/08\/2026/);
  });

  it.each(['demain', '31/08', '08/2026', '31 08 2026', '31/08-2026', '2026/08/31', '31 machin 2026', 'le 31 août 2026 svp', '311/08/2026'])(
    'refuses the unknown form %s with an example',
    (text) => {
      const result = parse(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(/^Je ne reconnais pas la date .*`31\/08\/2026`/);
    },
  );

  it('refuses year 0 as a far-off year, not as a day that does not exist', () => {
    const result = parse('01/01/0000');
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/^L'année 0 paraît erronée/) });
  });

  it.each([
    ['29/02/28', '2028-02-29'],
    ['1er fevr 2027', '2027-02-01'],
    ['15 juil. 2027', '2027-07-15'],
  ])('checks the day against the resolved year and reads abbreviated months: %s', (text, iso) => {
    const result = parse(text);
    expect(result.ok && toIsoDay(result.date)).toBe(iso);
  });

  it('refuses 29/02/27 against the resolved year 2027', () => {
    const result = parse('29/02/27');
    expect(result).toEqual({ ok: false, message: "Le 29 février 2027 n'existe pas (ce mois compte 28 jours). Vérifiez la date." });
  });

  it('asks for a date when the text is empty', () => {
    const result = parse('   ');
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/^Indiquez une date/) });
  });

  it('anchors two-digit years on today in Paris', () => {
    const result = parseFrenchDate('01.01.27', new Date('2026-12-31T23:30:00Z'), 'Europe/Paris');
    expect(result.ok && toIsoDay(result.date)).toBe('2027-01-01');
  });
});

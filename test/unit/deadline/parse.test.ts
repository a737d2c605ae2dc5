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

  it.each(['31/08/2026 svp', '31-08-26 ok', '2026-08-31 svp', 'le 2026-08-31', '31 août 2026 svp', 'le 31 août 2026', 'vers le 31/08/2026'])(
    'refuses a date with words before or after it: %s',
    (text) => {
      const result = parse(text);
      expect(result).toEqual({ ok: false, message: expect.stringMatching(/^Je ne reconnais pas la date/) });
    },
  );

  it.each([
    ['31/08/2026.', '2026-08-31'],
    ['31 août 2026.', '2026-08-31'],
  ])('accepts a date ending a sentence with a full stop: %s', (text, iso) => {
    const result = parse(text);
    expect(result.ok && toIsoDay(result.date)).toBe(iso);
  });

  it('refuses month 0 as a month that does not exist', () => {
    expect(parse('31/00/2026')).toEqual({
      ok: false,
      message: "Le mois « 0 » n'existe pas. Écrivez la date par exemple `31/08/2026` (ou `31-08-2026`, `31.08.26`, `2026-08-31`, `31 août 2026`).",
    });
  });

  it('accepts years from ten years back to five years ahead, inclusive, and names the window otherwise', () => {
    expect(parse('01/01/2016').ok).toBe(true);
    expect(parse('31/12/2031').ok).toBe(true);
    const message = (text: string) => {
      const result = parse(text);
      return result.ok ? 'accepted' : result.message;
    };
    expect(message('31/12/2015')).toBe(
      "L'année 2015 paraît erronée : j'accepte les dates entre 2016 et 2031. Vérifiez la date, par exemple `31/08/2026` (ou `31-08-2026`, `31.08.26`, `2026-08-31`, `31 août 2026`).",
    );
    expect(message('01/01/2032')).toMatch(/^L'année 2032 paraît erronée : j'accepte les dates entre 2016 et 2031\./);
  });

  it('shows at most 40 characters of an unrecognised text', () => {
    const result = parse(`${'a'.repeat(40)}${'b'.repeat(60)}`);
    expect(result).toEqual({ ok: false, message: expect.stringContaining(`« ${'a'.repeat(40)} »`) });
  });

  it.each([
    // Two-digit years are the year ending in those digits closest to this year, across centuries.
    ['31/12/99', '2001-06-01', '1999-12-31'],
    ['01/01/01', '2099-06-01', '2101-01-01'],
    ['01/01/26', '2026-06-01', '2026-01-01'],
    ['01/01/30', '2026-06-01', '2030-01-01'],
    ['01/01/20', '2026-06-01', '2020-01-01'],
  ])('reads the two-digit year of %s, today being %s, as %s', (text, today, iso) => {
    const result = parseFrenchDate(text, new Date(`${today}T12:00:00Z`), 'Europe/Paris');
    expect(result.ok && toIsoDay(result.date)).toBe(iso);
  });

  it('breaks a tie between two centuries towards the earlier one', () => {
    // In 2050, « 00 » is 2000 or 2100, both fifty years away: the earlier one, refused as too far back.
    const result = parseFrenchDate('01/01/00', new Date('2050-06-01T12:00:00Z'), 'Europe/Paris');
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/^L'année 2000 paraît erronée/) });
  });

  it('anchors two-digit years on today in Paris', () => {
    const result = parseFrenchDate('01.01.27', new Date('2026-12-31T23:30:00Z'), 'Europe/Paris');
    expect(result.ok && toIsoDay(result.date)).toBe('2027-01-01');
  });
});

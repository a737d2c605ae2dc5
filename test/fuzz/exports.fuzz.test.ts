import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/features/escalation/admin.js';
import { check, hostileText, parseCsv } from './fuzz-support.js';

/** Hostile cells in the CSV exports (/certif-admin export): read back as sent, never a live formula. */

const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/;

describe('fuzz: CSV exports', () => {
  it('reads back every cell as written, with a quote before what a spreadsheet would run, and nothing else changed', async () => {
    const cell = fc.oneof(
      hostileText(120),
      fc.string({ maxLength: 40 }).map((text) => `=${text}`),
      fc.constantFrom('=HYPERLINK("https://evil.example/x","Voir")', '+33 6', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '＝1', 'a,b', 'a"b', 'a\r\nb', ';'),
      fc.integer(),
      fc.constant(null),
    );
    await check(
      'csv exports',
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), (rows) => {
        const width = Math.max(...rows.map((row) => row.length));
        const table = rows.map((row) => [...row, ...Array<null>(width - row.length).fill(null)]);
        const parsed = parseCsv(toCsv(table));
        expect(parsed).toHaveLength(table.length);
        parsed.forEach((record, r) => {
          expect(record).toHaveLength(width);
          record.forEach((read, c) => {
            const written = table[r]![c];
            const text = written === null ? '' : String(written);
            // A number is a number in a spreadsheet (-20 included); any text that starts like a formula is neutralised.
            if (typeof written !== 'number') expect(FORMULA_START.test(read), JSON.stringify(read)).toBe(false);
            // A number stays a number (a negative one too); text that starts like a formula gets a leading quote.
            expect(read).toBe(typeof written === 'string' && FORMULA_START.test(text) ? `'${text}` : text);
          });
        });
      }),
      { weight: 2 },
    );
  });
});

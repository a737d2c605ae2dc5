import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll } from 'vitest';
import { GENERIC_FAILURE_TEXT } from '../../src/core/router.js';
import type { Reply } from '../../src/core/reply.js';

/**
 * Shared by the property-based tests: how many cases per property (FUZZ_RUNS; small by default so that `npm test` stays
 * fast, raised by `npm run test:fuzz`), and a tally of the cases run, appended to FUZZ_COUNT_FILE when set so that the
 * fuzz script can print the total over every file (vitest runs the files in separate processes).
 */

export const FUZZ_RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? '') || 100);

const tally: Record<string, number> = {};

// Imported at the top of each fuzz file: this hook belongs to that file.
afterAll(() => {
  const file = process.env.FUZZ_COUNT_FILE;
  if (!file) return;
  for (const [property, runs] of Object.entries(tally)) appendFileSync(file, `${JSON.stringify({ property, runs })}\n`);
});

/**
 * Runs a property until FUZZ_RUNS cases (times `weight`) have reached the code under test, and counts those only under
 * `name`. A case that does not reach it (a frame or a form refused by the first check, when the property is about what
 * comes after) says so with `fc.pre(false)`: fast-check skips it and draws another, and it is not counted.
 */
export async function check<Ts extends [unknown, ...unknown[]]>(
  name: string,
  property: fc.IAsyncPropertyWithHooks<Ts> | fc.IPropertyWithHooks<Ts>,
  options: { weight?: number } = {},
): Promise<void> {
  const numRuns = Math.max(1, Math.round(FUZZ_RUNS * (options.weight ?? 1)));
  const details = await fc.check(property as fc.IAsyncPropertyWithHooks<Ts>, { numRuns, endOnFailure: true, maxSkipsPerRun: 20 });
  // `numRuns` counts the cases run to the end of the property, skipped ones apart (`numSkips`).
  tally[name] = (tally[name] ?? 0) + details.numRuns - (details.failed ? 1 : 0);
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${fc.defaultReportMessage(details) ?? `property ${name} failed`}\nCaused by: ${cause}`, { cause: details.errorInstance });
  }
}

/** What must never reach a user: a stack frame, a Node or JS error name, a file path of the bot, an absolute path. */
const LEAK =
  /\n\s+at [^\n]*[(:]|\b(TypeError|ReferenceError|RangeError|SyntaxError|SqliteError|ZodError)\b|node:internal|\/src\/|\/dist\/|\.ts:\d+|\.js:\d+|(?:^|[\s"'(=:,[])\/(?:[\w.@-]+\/)+[\w.@-]*/;

export function leaksInternals(text: string): boolean {
  return LEAK.test(text);
}

/** Every text a reply shows (message text, fields, dialog fallback…), joined. */
export function replyText(reply: Reply): string {
  return JSON.stringify(reply);
}

export function isGenericFailure(text: string): boolean {
  return text.includes(GENERIC_FAILURE_TEXT.slice(0, 40));
}

/** Unicode strings with the characters people (and attackers) actually type: accents, emoji, controls, quotes, RTL. */
export const hostileText = (maxLength = 300): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength, unit: 'grapheme' }),
    fc.string({ maxLength, unit: 'binary' }),
    fc.string({ maxLength }),
    fc
      .array(
        fc.constantFrom(
          ' ', '\n', '\t', '\u00a0', '\u200b', '\u202e', '\ufeff', '\u0000', '"', "'", '«', '»', '`', '```', '@certif-bot', '@', '/',
          '31/08/2026', '29/02/2027', '2026-13-45', 'août', 'coche', 'dp', 'fiche', 'ajouter', 'modifier', 'supprimer', '999999999999',
          '-1', '0', '%', '%00', '<script>', '${x}', '\\', 'é', 'É', '🎓', 'ccp1', 'pix', 'délai', 'dossier', 'examen', 'rappels',
          'oui', 'non', 'reset', 'confirmer', 'environnement:', 'public:', 'groupe', '__proto__', 'constructor', 'NaN', 'Infinity',
        ),
        { maxLength: 30 },
      )
      .map((parts) => parts.join(' ')),
  );

/** The cells of an RFC 4180 text (CRLF records, quoted fields with doubled quotes), as a spreadsheet reads them. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === ',') {
      record.push(cell);
      cell = '';
    } else if (char === '\r' && text[index + 1] === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      index += 1;
    } else cell += char;
  }
  if (cell !== '' || record.length > 0) records.push([...record, cell]);
  return records;
}

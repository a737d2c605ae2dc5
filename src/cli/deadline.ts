import { loadConfig } from '../config.js';
import { calendarDateIn, DATE_EXAMPLE, parseFrenchDate, type CalendarDate } from '../features/deadline/dates.js';
import { renderCalendar } from '../features/deadline/render.js';
import { computeCalendar } from '../features/deadline/rules.js';
import type { CliIo } from './io.js';

export const DEADLINE_USAGE = `Usage : certif-bot deadline <fin de formation> [--examen <date>] [--pix <date>]
  Dates au format ${DATE_EXAMPLE.replace(/`/g, '')}.
  Exemple : certif-bot deadline 31/08/2026 --examen 12/01/2027
`;

type Parsed = { end?: string; exam?: string; pix?: string } | { error: string };

function splitArgs(args: readonly string[]): Parsed {
  const words: Record<'end' | 'exam' | 'pix', string[]> = { end: [], exam: [], pix: [] };
  let current: keyof typeof words = 'end';
  for (const arg of args) {
    if (arg === '--examen' || arg === '--exam') current = 'exam';
    else if (arg === '--pix') current = 'pix';
    else if (arg.startsWith('--')) return { error: `Option inconnue : ${arg}` };
    else words[current].push(arg);
  }
  const join = (parts: string[]) => (parts.length > 0 ? parts.join(' ') : undefined);
  return { end: join(words.end), exam: join(words.exam), pix: join(words.pix) };
}

/** Prints the same calendar table as `/deadline`, computed for today in BOT_TIMEZONE. Stores nothing. */
export async function runDeadline(args: readonly string[], io: CliIo, now: Date = new Date()): Promise<number> {
  const parsed = splitArgs(args);
  if ('error' in parsed) {
    io.stderr.write(`${parsed.error}\n\n${DEADLINE_USAGE}`);
    return 2;
  }
  if (!parsed.end && !parsed.exam && !parsed.pix) {
    io.stderr.write(DEADLINE_USAGE);
    return 2;
  }
  const timeZone = loadConfig(io.env).timezone;
  const dates: { end?: CalendarDate; exam?: CalendarDate; pix?: CalendarDate } = {};
  const labels = { end: 'fin de formation', exam: 'examen', pix: 'Pix' } as const;
  for (const key of ['end', 'exam', 'pix'] as const) {
    const text = parsed[key];
    if (text === undefined) continue;
    const result = parseFrenchDate(text, now, timeZone);
    if (!result.ok) {
      io.stderr.write(`${labels[key]} : ${result.message.replace(/`/g, '')}\n`);
      return 2;
    }
    dates[key] = result.date;
  }
  io.stdout.write(`${renderCalendar(computeCalendar(dates, calendarDateIn(now, timeZone)))}\n`);
  return 0;
}

import { loadConfig } from '../config.js';
import { calendarDateIn, DATE_EXAMPLE, parseFrenchDate, type CalendarDate } from '../features/deadline/dates.js';
import { renderCalendar } from '../features/deadline/render.js';
import { computeCalendar } from '../features/deadline/rules.js';
import type { CliIo } from './io.js';
import { DEADLINE_NOTHING, deadlineMissingValue, deadlineUnknownOption, deadlineUsage } from './texts.js';

export const DEADLINE_USAGE = deadlineUsage(DATE_EXAMPLE.replace(/`/g, ''));

type Parsed = { end?: string; exam?: string; pix?: string } | { error: string };

const OPTIONS: Readonly<Record<string, 'exam' | 'pix'>> = { '--examen': 'exam', '--exam': 'exam', '--pix': 'pix' };

/** Words after an option are its date (`--examen 12 janvier 2027`); an option with none is an error, never ignored. */
function splitArgs(args: readonly string[]): Parsed {
  const words: Record<'end' | 'exam' | 'pix', string[]> = { end: [], exam: [], pix: [] };
  let current: keyof typeof words = 'end';
  let option: string | undefined;
  for (const arg of args) {
    const target = OPTIONS[arg];
    if (target) {
      if (option && words[current].length === 0) return { error: deadlineMissingValue(option) };
      current = target;
      option = arg;
    } else if (arg.startsWith('--')) {
      return { error: deadlineUnknownOption(arg) };
    } else {
      words[current].push(arg);
    }
  }
  if (option && words[current].length === 0) return { error: deadlineMissingValue(option) };
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
    io.stderr.write(`${DEADLINE_NOTHING}\n\n${DEADLINE_USAGE}`);
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

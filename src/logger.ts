import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Paths whose values never reach a log line: tokens, secrets and authorization headers, wherever they appear. */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'adminToken',
  '*.adminToken',
  'commandTokens',
  '*.commandTokens',
  'actionSecret',
  '*.actionSecret',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'MM_BOT_TOKEN',
  'MM_ADMIN_TOKEN',
  'MM_COMMAND_TOKENS',
  'ACTION_SECRET',
];

export interface LoggerOptions {
  level?: string;
  /** Defaults to stdout; the CLI passes stderr so that `ask --json` output stays clean. */
  destination?: DestinationStream | NodeJS.WritableStream;
  name?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      name: options.name ?? 'certif-bot',
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // Buffered, asynchronous writes to stdout: a synchronous write per line costs a system call per request under
    // load. pino flushes the buffer on exit; `serve` flushes it on shutdown too.
    (options.destination as DestinationStream | undefined) ?? pino.destination({ dest: 1, sync: false, minLength: 4096 }),
  );
}

/** A logger that drops everything, for tests that do not look at logs. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}

import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Keys whose values never reach a log line: tokens, secrets and authorization headers, wherever they appear. */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'token',
  'botToken',
  'adminToken',
  'commandTokens',
  'actionSecret',
  'secret',
  'authorization',
  'MM_BOT_TOKEN',
  'MM_ADMIN_TOKEN',
  'MM_COMMAND_TOKENS',
  'ACTION_SECRET',
]);

export const REDACTED = '[redacted]';

/** How deep secrets are looked for: `token`, `config.token`, `req.headers.authorization`. */
const REDACT_DEPTH = 3;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Returns the object with every secret-named key censored, at any depth up to REDACT_DEPTH in plain objects. The
 * logged object is never modified: what holds a secret is copied, everything else is returned as it is — so the
 * usual log line, which holds none, costs one scan of its keys and no allocation. (pino's own `redact` re-parses
 * its path list on every call, a measurable share of a request's time under load.)
 */
export function redactSecrets<T extends Record<string, unknown>>(object: T, depth = REDACT_DEPTH): T {
  let copy: Record<string, unknown> | undefined;
  for (const key in object) {
    if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
    const value = object[key];
    let replacement: unknown = value;
    if (SECRET_KEYS.has(key)) {
      if (value !== undefined) replacement = REDACTED;
    } else if (depth > 1 && isPlainObject(value)) {
      replacement = redactSecrets(value, depth - 1);
    }
    if (replacement !== value) {
      copy ??= { ...object };
      copy[key] = replacement;
    }
  }
  return (copy ?? object) as T;
}

export interface LoggerOptions {
  level?: string;
  /** Defaults to stdout; the CLI passes stderr so that `ask --json` output stays clean. */
  destination?: DestinationStream | NodeJS.WritableStream;
  name?: string;
}

/** The pino options every logger of the bot uses (tests that capture lines use them too). */
export function loggerOptions(options: Pick<LoggerOptions, 'level' | 'name'> = {}): pino.LoggerOptions {
  return {
    name: options.name ?? 'certif-bot',
    level: options.level ?? 'info',
    // Applies to what each call logs; child bindings are the code's own constant labels (component, requestId).
    formatters: { log: (object) => redactSecrets(object) },
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
  };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    loggerOptions(options),
    // Buffered, asynchronous writes to stdout: a synchronous write per line costs a system call per request under
    // load. pino flushes the buffer on exit; `serve` flushes it on shutdown too.
    (options.destination as DestinationStream | undefined) ?? pino.destination({ dest: 1, sync: false, minLength: 4096 }),
  );
}

/** A logger that drops everything, for tests that do not look at logs. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}

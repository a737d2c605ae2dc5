import path from 'node:path';
import { pino } from 'pino';
import type { Config } from '../config.js';
import type { Notifier } from '../core/notifier.js';
import { createLogger, type Logger } from '../logger.js';
import { createConsoleNotifier } from './console-notifier.js';
import type { CliIo } from './io.js';
import { logFileNote } from './texts.js';

/**
 * The console, as `certif-bot chat` and `npm start` (local mode, in a terminal) both open it: the same conversation
 * (chat.ts), the same delivery of what a DM or a channel post would carry (printed, files written under DATA_DIR),
 * and the same logs, kept out of the conversation.
 */

/** Where the logs of a console session go, under DATA_DIR. */
export const CONSOLE_LOG_FILE = 'certif-bot.log';

export interface ConsoleSetup {
  log: Logger;
  notifier: Notifier;
  /** Set when logs go to a file: the path, shown once to the user. */
  logFile?: string;
  /** One line for the user about the logs, or undefined when there is nothing to say. */
  logNote?: string;
}

/**
 * In a terminal, logs go to `DATA_DIR/certif-bot.log` at LOG_LEVEL (the conversation stays clean; the path is shown
 * once); with piped input (scripts, tests), to stderr at `error` unless LOG_LEVEL says otherwise, so that the
 * output carries only the conversation (warnings such as the example directory are for `serve` and /readyz).
 */
export function openConsole(config: Readonly<Config>, io: CliIo): ConsoleSetup {
  const notifier = createConsoleNotifier({ write: (text) => io.stdout.write(text), dataDir: config.dataDir });
  if (io.stdin.isTTY) {
    const logFile = path.join(config.dataDir, CONSOLE_LOG_FILE);
    // Synchronous: a console session logs little, and every line is on disk if the process is killed.
    const log = createLogger({ level: config.logLevel, destination: pino.destination({ dest: logFile, mkdir: true, sync: true }) });
    return { log, notifier, logFile, logNote: logFileNote(logFile) };
  }
  const log = createLogger({ level: io.env.LOG_LEVEL ? config.logLevel : 'error', destination: process.stderr });
  return { log, notifier };
}

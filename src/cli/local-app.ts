import { createApp, type App } from '../app.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createConsoleNotifier } from './console-notifier.js';
import type { CliIo } from './io.js';

/**
 * The bot without Mattermost, for `chat`, `ask` and the other one-shot commands: logs go to stderr (quiet unless
 * LOG_LEVEL says otherwise) so that stdout carries only what the user asked for.
 */
export function createLocalApp(io: CliIo): App {
  const config = loadConfig(io.env);
  const log = createLogger({
    level: io.env.LOG_LEVEL ? config.logLevel : 'warn',
    destination: process.stderr,
  });
  const notifier = createConsoleNotifier({ write: (text) => io.stdout.write(text), dataDir: config.dataDir });
  return createApp({ config, log, notifier });
}

import { createApp, type App } from '../app.js';
import { loadConfig } from '../config.js';
import { openConsole } from './console.js';
import type { CliIo } from './io.js';

export interface LocalAppOptions {
  /**
   * `:memory:` for a command that must leave no trace in DATA_DIR (`ask`, used for evaluation runs: its questions are
   * not the users' and must not reach `/certif-admin questions`). Defaults to the bot's own database.
   */
  databaseFile?: string;
}

/**
 * The bot without Mattermost, for `chat`, `ask` and the other one-shot commands, with the console's logs and
 * delivery (console.ts): stdout carries only what the user asked for.
 */
export function createLocalApp(io: CliIo, options: LocalAppOptions = {}): App & { logNote?: string } {
  const config = loadConfig(io.env);
  const { log, notifier, logNote } = openConsole(config, io);
  return { ...createApp({ config, log, notifier, databaseFile: options.databaseFile }), logNote };
}

import { loadConfig } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { COMMAND_ROUTE } from '../mattermost/http/server.js';
import { startBot, type RunningBot } from '../mattermost/bot.js';
import { createMetrics } from '../observability/metrics.js';
import { runChat } from './chat.js';
import { openConsole } from './console.js';
import { CliError, type CliIo } from './io.js';
import { addressUnavailable, localModeBanner, portForbidden, portInUse, SERVE_USAGE } from './texts.js';

/**
 * `certif-bot serve` (and `npm start`): the HTTP endpoints always; with MM_URL and MM_BOT_TOKEN, the WebSocket
 * listener and the REST notifier too. Without them it runs in local mode and, in a terminal, opens the same console
 * as `certif-bot chat` (console.ts): what a DM or a channel post would carry is printed there, and the logs go to a
 * file so that the conversation stays clean.
 */

/** Stands for the configured slash-command token in the banner: a secret is never printed. */
export const TOKEN_PLACEHOLDER = '<un-jeton-de-MM_COMMAND_TOKENS>';

export function localModeHelp(bot: RunningBot, tokens: readonly string[], options: { interactive?: boolean; logNote?: string } = {}): string {
  return localModeBanner({
    listening: bot.listening,
    url: bot.url,
    disabled: bot.disabled,
    interactive: options.interactive ?? false,
    commandRoute: COMMAND_ROUTE,
    token: tokens.length > 0 ? TOKEN_PLACEHOLDER : undefined,
    logNote: options.logNote,
  });
}

/** A server that cannot listen (port taken, forbidden) is a setting to change, said in French: no stack trace. */
function explainListenError(error: unknown, port: number): never {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') throw new CliError(portInUse(port));
  if (code === 'EACCES') throw new CliError(portForbidden(port));
  if (code === 'EADDRNOTAVAIL') throw new CliError(addressUnavailable(String((error as Error).message)));
  throw error;
}

export async function runServe(args: readonly string[], io: CliIo, signals: NodeJS.EventEmitter = process): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(SERVE_USAGE);
    return 0;
  }
  if (args.length > 0) throw new CliError(`Option inconnue : ${args[0]}.\n\n${SERVE_USAGE}`, 2);
  // One start-up message listing every invalid setting (ConfigError), printed by runCli.
  const config = loadConfig(io.env);
  const local = !config.mattermost.url;
  const interactive = local && Boolean(io.stdin.isTTY);
  const terminal = interactive ? openConsole(config, io) : undefined;
  const log: Logger = terminal?.log ?? createLogger({ level: config.logLevel });
  let bot: RunningBot;
  try {
    bot = await startBot({ config, log, metrics: createMetrics(), localNotifier: terminal?.notifier });
  } catch (error) {
    explainListenError(error, config.port);
  }

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      signals.off('SIGHUP', reload);
      log.info({ reason }, 'shutting down');
      await bot.close();
      log.info('stopped');
      log.flush();
    })();
    return stopping;
  };

  // SIGHUP: re-read the knowledge base and the directory without a restart (what `/certif-admin recharger` does).
  const reload = () => {
    for (const [name, result] of Object.entries(bot.app.reloadAll())) {
      if (result.ok) log.info({ reloaded: name, summary: result.summary }, 'reloaded on SIGHUP');
      else log.error({ reloaded: name, problems: result.problems }, 'reload refused on SIGHUP: the previous version stays in use');
    }
  };
  signals.on('SIGHUP', reload);

  const stopped = new Promise<string>((resolve) => {
    signals.once('SIGINT', () => resolve('SIGINT'));
    signals.once('SIGTERM', () => resolve('SIGTERM'));
  });

  if (local) io.stderr.write(localModeHelp(bot, config.mattermost.commandTokens, { interactive, logNote: terminal?.logNote }));
  if (interactive) {
    // Leaving the console (« quitter », Ctrl-D) stops the bot, like a signal.
    const reason = await Promise.race([runChat(bot.app, io).then(() => 'console closed'), stopped]);
    // On a signal the console is still reading: closing its input ends it, or the process would not exit.
    if (reason !== 'console closed') io.stdin.destroy();
    await shutdown(reason);
    return 0;
  }
  await shutdown(await stopped);
  return 0;
}

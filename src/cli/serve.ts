import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { COMMAND_ROUTE } from '../mattermost/http/server.js';
import { startBot, type RunningBot } from '../mattermost/bot.js';
import { createMetrics } from '../observability/metrics.js';
import { runChat } from './chat.js';
import type { CliIo } from './io.js';

/**
 * `certif-bot serve` (and `npm start`): the HTTP endpoints always; with MM_URL and MM_BOT_TOKEN, the WebSocket
 * listener and the REST notifier too. Without them it runs in local mode and, in a terminal, opens the console chat
 * so that a fresh `npm start` is usable at once.
 */

/** Stands for the configured slash-command token in the banner: a secret is never printed. */
export const TOKEN_PLACEHOLDER = '<un-jeton-de-MM_COMMAND_TOKENS>';

export function localModeHelp(bot: RunningBot, tokens: readonly string[]): string {
  const token = tokens.length > 0 ? TOKEN_PLACEHOLDER : 'un-jeton-de-test';
  const lines = [
    '',
    `certif-bot tourne en mode local sur ${bot.url} (aucun serveur Mattermost configuré).`,
    ...bot.disabled.map((what) => `  - désactivé : ${what}`),
    '',
    'Pour essayer :',
    '  - dans ce terminal, posez une question ou tapez /certif aide (console ci-dessous, si le terminal est interactif) ;',
    '  - ou dans un autre terminal : npx certif-bot chat',
    `  - ou par HTTP, comme Mattermost${tokens.length === 0 ? ` (après avoir démarré avec MM_COMMAND_TOKENS=${token})` : ''} :`,
    `      curl -s ${bot.url}${COMMAND_ROUTE} -H 'Authorization: Token ${token}' \\`,
    "        --data-urlencode command=/certif --data-urlencode 'text=c quoi le délai pour passer le ccp1 ?' \\",
    '        -d channel_id=canal -d user_id=moi -d user_name=moi',
    '',
    'Pour brancher le bot sur Mattermost, voir « Déployer sur Mattermost » dans le README.',
    '',
  ];
  return lines.join('\n');
}

export async function runServe(_args: readonly string[], io: CliIo, signals: NodeJS.EventEmitter = process): Promise<number> {
  // One start-up message listing every invalid setting (ConfigError), printed by runCli.
  const config = loadConfig(io.env);
  const local = !config.mattermost.url;
  const interactive = local && Boolean(io.stdin.isTTY);
  // In the console chat, logs go to stderr so that they do not cut through the conversation on stdout.
  const log = createLogger({ level: config.logLevel, destination: interactive ? process.stderr : undefined });
  const bot = await startBot({ config, log, metrics: createMetrics() });

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

  if (local) io.stderr.write(localModeHelp(bot, config.mattermost.commandTokens));
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

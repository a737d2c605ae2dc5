import { parseArgs } from 'node:util';
import type { Command } from '@mattermost/types/integrations';
import { loadConfig, type Config, type Env } from '../config.js';
import { createLogger } from '../logger.js';
import { createMattermostClient, MattermostApiError, type MattermostClient } from '../mattermost/client.js';
import { desiredCommand, loadManifest, MANIFEST_FILE } from '../mattermost/manifest.js';
import type { CliIo } from './io.js';

/**
 * `certif-bot register --team <name>`: creates or updates the slash commands of manifest.json on the server, with
 * an admin token (creating commands needs `manage_own_slash_commands`, which an ordinary bot lacks), then prints
 * the tokens for MM_COMMAND_TOKENS. Running it again changes nothing.
 */

export const REGISTER_USAGE =
  'Usage : certif-bot register --team <nom-de-l-équipe> [--manifest <fichier>]\n' +
  '  Variables nécessaires : MM_URL, MM_ADMIN_TOKEN (jeton d’un administrateur), PUBLIC_URL (adresse du bot vue par Mattermost).\n';

export type RegisterOutcome = { trigger: string; status: 'created' | 'updated' | 'unchanged'; token: string };

export async function registerCommands(options: {
  client: MattermostClient;
  teamName: string;
  publicUrl: string;
  manifestFile?: string;
}): Promise<{ outcomes: RegisterOutcome[]; strays: string[] }> {
  const manifest = loadManifest(options.manifestFile);
  const team = await options.client.getTeamByName(options.teamName);
  const existing = await options.client.listCustomCommands(team.id);
  const outcomes: RegisterOutcome[] = [];
  for (const entry of manifest.commands) {
    const desired = desiredCommand(entry, team.id, options.publicUrl);
    const current = existing.find((command) => command.trigger === entry.trigger && command.delete_at === 0);
    if (!current) {
      const created = await options.client.addCommand(desired);
      outcomes.push({ trigger: entry.trigger, status: 'created', token: created.token });
      continue;
    }
    const differs = (Object.keys(desired) as (keyof typeof desired)[]).some((key) => current[key] !== desired[key]);
    if (!differs) {
      outcomes.push({ trigger: entry.trigger, status: 'unchanged', token: current.token });
      continue;
    }
    const updated = await options.client.editCommand({ ...current, ...desired } as Command);
    outcomes.push({ trigger: entry.trigger, status: 'updated', token: updated.token || current.token });
  }
  // Commands pointing at the bot but gone from the manifest are reported, never deleted: an admin decides.
  const triggers = new Set(manifest.commands.map((entry) => entry.trigger));
  const base = options.publicUrl.replace(/\/+$/, '');
  const strays = existing
    .filter((command) => command.delete_at === 0 && command.url.startsWith(base) && !triggers.has(command.trigger))
    .map((command) => command.trigger);
  return { outcomes, strays };
}

const STATUS_TEXT: Record<RegisterOutcome['status'], string> = {
  created: 'créée',
  updated: 'mise à jour',
  unchanged: 'inchangée',
};

export async function runRegister(args: readonly string[], io: CliIo): Promise<number> {
  let values: { team?: string; manifest?: string };
  try {
    ({ values } = parseArgs({ args: [...args], options: { team: { type: 'string' }, manifest: { type: 'string' } }, strict: true }));
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n${REGISTER_USAGE}`);
    return 2;
  }
  const settings = registerSettings(io.env);
  const missing = [
    !values.team && '--team',
    !settings.url && 'MM_URL',
    !settings.adminToken && 'MM_ADMIN_TOKEN',
    !settings.publicUrl && 'PUBLIC_URL',
  ].filter(Boolean);
  if (missing.length > 0) {
    io.stderr.write(`Il manque : ${missing.join(', ')}.\n${REGISTER_USAGE}`);
    return 2;
  }
  const log = createLogger({ level: settings.logLevel, destination: process.stderr });
  const client = createMattermostClient({ url: settings.url as string, token: settings.adminToken as string, log });
  try {
    const { outcomes, strays } = await registerCommands({
      client,
      teamName: values.team as string,
      publicUrl: settings.publicUrl as string,
      manifestFile: values.manifest ?? MANIFEST_FILE,
    });
    for (const outcome of outcomes) io.stdout.write(`/${outcome.trigger} : ${STATUS_TEXT[outcome.status]}\n`);
    for (const trigger of strays) {
      io.stdout.write(`/${trigger} : pointe vers ce bot mais n'est plus dans manifest.json (non supprimée ; supprimez-la dans Intégrations si elle ne sert plus)\n`);
    }
    io.stdout.write(`\nÀ mettre dans la configuration du bot :\nMM_COMMAND_TOKENS=${outcomes.map((outcome) => outcome.token).join(',')}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`${describeRegisterError(error, values.team as string)}\n`);
    return 1;
  }
}

/** What register reads from the environment: no bot token (it authenticates with MM_ADMIN_TOKEN only). */
interface RegisterSettings {
  url?: string;
  adminToken?: string;
  publicUrl?: string;
  logLevel: Config['logLevel'];
}

/**
 * The environment checked by `loadConfig` (URL formats, every problem at once), reduced to what register uses. No
 * bot token is required: the bot account may not even exist yet when an admin registers the commands.
 */
function registerSettings(env: Env): RegisterSettings {
  const config = loadConfig(env, { ignoreBotToken: true });
  return {
    url: config.mattermost.url,
    adminToken: config.mattermost.adminToken,
    publicUrl: config.mattermost.publicUrl,
    // Quiet unless LOG_LEVEL is set: the admin reads the command's own output.
    logLevel: env.LOG_LEVEL ? config.logLevel : 'warn',
  };
}

function describeRegisterError(error: unknown, team: string): string {
  if (error instanceof MattermostApiError) {
    if (error.status === 401) return 'Mattermost refuse MM_ADMIN_TOKEN (401) : vérifiez le jeton.';
    if (error.status === 403) return "Ce jeton n'a pas le droit de gérer les commandes slash de l'équipe (403) : utilisez le jeton d'un administrateur.";
    if (error.status === 404) return `Équipe « ${team} » introuvable (404) : donnez son nom d'URL (par exemple « conseillers-numeriques »).`;
    if (error.status === 501) return 'Les commandes slash sont désactivées sur ce serveur (EnableCommands).';
    return `Mattermost a répondu : ${error.message}`;
  }
  return `Échec : ${(error as Error).message}`;
}

import { parseArgs } from 'node:util';
import type { Command } from '@mattermost/types/integrations';
import { loadConfig, type Config, type Env } from '../config.js';
import { createLogger } from '../logger.js';
import { createMattermostClient, MattermostApiError, type MattermostClient } from '../mattermost/client.js';
import { desiredCommand, loadManifest, MANIFEST_FILE } from '../mattermost/manifest.js';
import type { CliIo } from './io.js';
import {
  REGISTER_DISABLED,
  REGISTER_FORBIDDEN,
  REGISTER_STATUS,
  REGISTER_UNAUTHORIZED,
  REGISTER_USAGE,
  registerBadOption,
  registerFailed,
  registerMissing,
  registerServerError,
  registerStray,
  registerTeamNotFound,
  registerTokens,
  registerUnreachable,
} from './texts.js';

/**
 * `certif-bot register --team <name>`: creates or updates the slash commands of manifest.json on the server, with
 * an admin token (creating commands needs `manage_own_slash_commands`, which an ordinary bot lacks), then prints
 * the tokens for MM_COMMAND_TOKENS. Running it again changes nothing.
 */

export { REGISTER_USAGE };

/** An admin at a terminal: two quick attempts, not the bot's patient background policy. */
const REGISTER_RETRY = { attempts: 2, baseDelayMs: 300, maxDelayMs: 1000, timeoutMs: 10_000 };

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

export async function runRegister(args: readonly string[], io: CliIo): Promise<number> {
  let values: { team?: string; manifest?: string };
  try {
    ({ values } = parseArgs({ args: [...args], options: { team: { type: 'string' }, manifest: { type: 'string' } }, strict: true }));
  } catch (error) {
    // node:util's message is English (« Unknown option '--x' »): the option itself is enough.
    const detail = /'([^']+)'/.exec((error as Error).message)?.[1] ?? args.join(' ');
    io.stderr.write(`${registerBadOption(detail)}\n\n${REGISTER_USAGE}`);
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
    io.stderr.write(`${registerMissing(missing as string[])}\n\n${REGISTER_USAGE}`);
    return 2;
  }
  const log = createLogger({ level: settings.logLevel, destination: process.stderr });
  const client = createMattermostClient({ url: settings.url as string, token: settings.adminToken as string, log, retry: REGISTER_RETRY });
  try {
    const { outcomes, strays } = await registerCommands({
      client,
      teamName: values.team as string,
      publicUrl: settings.publicUrl as string,
      manifestFile: values.manifest ?? MANIFEST_FILE,
    });
    for (const outcome of outcomes) io.stdout.write(`/${outcome.trigger} : ${REGISTER_STATUS[outcome.status]}\n`);
    for (const trigger of strays) io.stdout.write(`${registerStray(trigger)}\n`);
    io.stdout.write(registerTokens(outcomes.map((outcome) => outcome.token)));
    return 0;
  } catch (error) {
    io.stderr.write(`${describeRegisterError(error, values.team as string, settings.url as string)}\n`);
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
    // Quiet unless LOG_LEVEL is set: the admin reads the command's own output (a retry warning is noise here).
    logLevel: env.LOG_LEVEL ? config.logLevel : 'error',
  };
}

/** Each failure in French, with what to do; « Mattermost a répondu » only when a server did answer. */
function describeRegisterError(error: unknown, team: string, url: string): string {
  if (error instanceof MattermostApiError) {
    // No status: nothing answered (refused connection, unknown host, timeout).
    if (error.status === undefined) return registerUnreachable(url, networkCause(error));
    if (error.status === 401) return REGISTER_UNAUTHORIZED;
    if (error.status === 403) return REGISTER_FORBIDDEN;
    if (error.status === 404) return registerTeamNotFound(team);
    if (error.status === 501) return REGISTER_DISABLED;
    return registerServerError(error.status, error.message);
  }
  return registerFailed((error as Error).message);
}

/** The system's reason for a network failure (ECONNREFUSED, ENOTFOUND…), or the innermost message when there is none. */
function networkCause(error: Error): string {
  let cause: unknown = error;
  let innermost = error.message;
  for (let depth = 0; depth < 5 && cause instanceof Error; depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    innermost = cause.message;
    cause = cause.cause;
  }
  return innermost;
}

import path from 'node:path';
import { z } from 'zod';
import './core/french-validation.js';
import { MAX_WORKING_DAYS, parseWorkingDuration } from './features/escalation/working-time.js';

/**
 * The only reader of process.env. Every setting is validated at start-up and every problem is reported at once,
 * with the variable's name, so an admin can fix the whole environment in one go.
 */

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const optionalUrl = optionalString.pipe(
  z
    .string()
    .url({ message: 'doit être une URL complète, par exemple https://chat.example.org' })
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
);

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

const integer = (fallback: number, min: number, max: number) =>
  z.coerce
    .number({ message: 'doit être un nombre' })
    .int({ message: 'doit être un nombre entier' })
    .min(min, { message: `doit être au moins ${min}` })
    .max(max, { message: `doit être au plus ${max}` })
    .default(fallback);

const envSchema = z.object({
  PORT: integer(3000, 0, 65535),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  KNOWLEDGE_DIR: z.string().trim().min(1).default('./knowledge'),
  DIRECTORY_FILE: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BOT_TIMEZONE: z
    .string()
    .trim()
    .default('Europe/Paris')
    .refine(isKnownTimeZone, { message: 'fuseau horaire inconnu (exemple : Europe/Paris)' }),

  MM_URL: optionalUrl,
  MM_BOT_TOKEN: optionalString,
  MM_COMMAND_TOKENS: commaList,
  MM_ADMIN_TOKEN: optionalString,
  PUBLIC_URL: optionalUrl,
  ACTION_SECRET: optionalString.pipe(
    z.string().min(32, { message: 'doit faire au moins 32 caractères' }).optional(),
  ),
  /** Channels (ids or names) where the bot answers @-mentions; empty means every channel it is a member of. */
  MM_ANSWER_CHANNELS: commaList,

  /**
   * The FAQ's one decision setting: the accepted share of wrong answers, measured by cross-validation when
   * `certif-bot kb calibrate` fitted knowledge/faq-calibration.json. The bot answers from the lowest confidence whose
   * answers were wrong at most this often; 0.02 (2 %) by default.
   */
  FAQ_ACCEPTED_RISK: z.coerce
    .number({ message: 'doit être un nombre' })
    .min(0, { message: 'doit être entre 0 et 0,2' })
    .max(0.2, { message: 'doit être entre 0 et 0,2 (au-delà, une réponse sur cinq serait fausse)' })
    .default(0.02),

  /** Working time before an unclaimed ticket is reminded (`1d`, `4h`, `90m`); twice that, it goes to the fallback. */
  ESCALATION_REMIND_AFTER: z
    .string()
    .trim()
    .default('1d')
    .transform((value, ctx) => {
      const minutes = parseWorkingDuration(value);
      if (minutes === undefined) {
        ctx.addIssue({ code: 'custom', message: `durée en temps ouvré attendue, au plus ${MAX_WORKING_DAYS} jours ouvrés, par exemple 1d (un jour ouvré), 4h ou 90m` });
        return z.NEVER;
      }
      return minutes;
    }),
  ESCALATION_FALLBACK_CHANNEL: optionalString,
  ADMIN_USERS: commaList,

  RETENTION_DAYS: integer(365, 1, 3650),
  RATE_LIMIT_PER_MINUTE: integer(20, 1, 10_000),
  /** Clicks and dialog submissions per user and minute (a budget apart from what users type). */
  RATE_LIMIT_CLICKS_PER_MINUTE: integer(60, 1, 10_000),
  MAX_CONCURRENT_REQUESTS: integer(64, 1, 10_000),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  port: number;
  dataDir: string;
  knowledgeDir: string;
  directoryFile: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  timezone: string;
  mattermost: {
    url?: string;
    botToken?: string;
    commandTokens: readonly string[];
    adminToken?: string;
    publicUrl?: string;
    answerChannels: readonly string[];
  };
  actionSecret?: string;
  faq: { acceptedRisk: number };
  escalation: {
    /** In working minutes (09:00–17:00, Monday–Friday, public holidays off). */
    remindAfterMinutes: number;
    fallbackChannel?: string;
    adminUsers: readonly string[];
  };
  retentionDays: number;
  rateLimitPerMinute: number;
  clickRateLimitPerMinute: number;
  maxConcurrentRequests: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Configuration invalide (${problems.length} problème${problems.length > 1 ? 's' : ''}) :\n` +
        problems.map((problem) => `  - ${problem}`).join('\n') +
        "\nCorrigez ces variables d'environnement, puis relancez (liste et valeurs par défaut : « Configuration » dans le README).",
    );
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /**
   * Running the bot needs MM_URL and MM_BOT_TOKEN together (default). `certif-bot register` talks to Mattermost with
   * the admin token only: for it the bot token plays no part, and it reports a missing MM_URL itself.
   */
  ignoreBotToken?: boolean;
}

export function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environnement'} : ${issue.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  // Settings that only make sense together.
  if (!options.ignoreBotToken) {
    if (e.MM_URL && !e.MM_BOT_TOKEN) problems.push('MM_BOT_TOKEN : requis quand MM_URL est défini');
    if (e.MM_BOT_TOKEN && !e.MM_URL) problems.push('MM_URL : requis quand MM_BOT_TOKEN est défini');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const knowledgeDir = path.resolve(e.KNOWLEDGE_DIR);
  const config: Config = {
    port: e.PORT,
    dataDir: path.resolve(e.DATA_DIR),
    knowledgeDir,
    directoryFile: e.DIRECTORY_FILE ? path.resolve(e.DIRECTORY_FILE) : path.join(knowledgeDir, 'directory.yaml'),
    logLevel: e.LOG_LEVEL,
    timezone: e.BOT_TIMEZONE,
    mattermost: {
      url: e.MM_URL,
      botToken: e.MM_BOT_TOKEN,
      commandTokens: e.MM_COMMAND_TOKENS,
      adminToken: e.MM_ADMIN_TOKEN,
      publicUrl: e.PUBLIC_URL,
      answerChannels: e.MM_ANSWER_CHANNELS,
    },
    actionSecret: e.ACTION_SECRET,
    faq: { acceptedRisk: e.FAQ_ACCEPTED_RISK },
    escalation: {
      remindAfterMinutes: e.ESCALATION_REMIND_AFTER,
      fallbackChannel: e.ESCALATION_FALLBACK_CHANNEL,
      adminUsers: e.ADMIN_USERS,
    },
    retentionDays: e.RETENTION_DAYS,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    clickRateLimitPerMinute: e.RATE_LIMIT_CLICKS_PER_MINUTE,
    maxConcurrentRequests: e.MAX_CONCURRENT_REQUESTS,
  };
  return deepFreeze(config);
}

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('fr-FR', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

import path from 'node:path';
import { z } from 'zod';
import './core/french-validation.js';
import { parseWorkingDuration } from './features/escalation/working-time.js';
import type { PolicySettings } from './features/faq/search.js';

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

const ratio = (fallback: number) =>
  z.coerce
    .number({ message: 'doit être un nombre' })
    .min(0, { message: 'doit être entre 0 et 1' })
    .max(1, { message: 'doit être entre 0 et 1' })
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
   * FAQ decision policy, calibrated on eval/faq-eval.tsv (+ /work/shared off-topic list): on-topic best scores reach
   * 0.46, off-topic questions of two words or more start at 0.57; 0.47 keeps a 0.1 safety gap. Scores: 0 (perfect) to 1.
   */
  FAQ_ANSWER_MAX_SCORE: ratio(0.47),
  FAQ_ANSWER_MIN_MARGIN: ratio(0.05),
  FAQ_CLARIFY_MAX_SCORE: ratio(0.55),
  /**
   * A question naming a domain term (knowledge/glossary.yaml `domain_terms`) is answered up to this score. Set on the
   * evaluation set and three held-out sets (eval/README.md): up to 0.55, 0 of 163 off-topic messages answered; then
   * tested once on a fourth: 0 of 50 (half of them traps that use the domain's words in another sense).
   */
  FAQ_ANCHORED_ANSWER_MAX_SCORE: ratio(0.55),
  /**
   * A question naming the certification itself (knowledge/glossary.yaml `certification_names`: CCP1, Pix, jury, DP…)
   * is answered up to this score when its best entry leads the second by FAQ_NAMED_ANSWER_MIN_MARGIN. Set on the
   * evaluation set and the five held-out sets (eval/README.md): 17 more right answers out of 370 held-out questions, 2
   * more wrong ones, 0 of 195 off-topic messages answered; then tested once on a sixth: 45 of 80 right instead of 40,
   * no more wrong ones, 0 of 50 off-topic messages answered.
   */
  FAQ_NAMED_ANSWER_MAX_SCORE: ratio(0.65),
  FAQ_NAMED_ANSWER_MIN_MARGIN: ratio(0.1),
  /**
   * Up to this score an abstention names the closest entries (those that score up to it themselves). Set on the
   * held-out sets (eval/README.md), before domain terms existed: 0.7 offered the right entry to 51 of the 64 held-out
   * questions left unanswered, and (useless) entries to 15 of 123 off-topic messages; 0.75 reached 56 but offered to 25.
   * Kept when unknown words stopped weighing double (SCORING.unknownTermFactor): on the nine held-out sets, 611 of 690
   * questions reach the right entry (direct or one click); 0.68 cut the entries offered to off-topic messages from 50
   * to 38 of 395, but 15 questions lost the right entry, 7 of them on the ninth set, the only one not used to tune.
   */
  FAQ_SUGGEST_MAX_SCORE: ratio(0.7),
  /**
   * The same for a question that names the certification (glossary `certification_names`). Set on the ten held-out
   * sets: 0.8 puts the right entry one click away for 21 more of their 770 questions, and offers entries to 5 more of
   * their 445 off-topic messages (« le pix de mon téléphone est flou »); 0.85 gained a few more, for twice the noise.
   */
  FAQ_NAMED_SUGGEST_MAX_SCORE: ratio(0.8),

  /** Working time before an unclaimed ticket is reminded (`1d`, `4h`, `90m`); twice that, it goes to the fallback. */
  ESCALATION_REMIND_AFTER: z
    .string()
    .trim()
    .default('1d')
    .transform((value, ctx) => {
      const minutes = parseWorkingDuration(value);
      if (minutes === undefined) {
        ctx.addIssue({ code: 'custom', message: 'durée en temps ouvré attendue, par exemple 1d (un jour ouvré), 4h ou 90m' });
        return z.NEVER;
      }
      return minutes;
    }),
  ESCALATION_FALLBACK_CHANNEL: optionalString,
  ADMIN_USERS: commaList,

  RETENTION_DAYS: integer(365, 1, 3650),
  RATE_LIMIT_PER_MINUTE: integer(20, 1, 10_000),
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
  faq: PolicySettings;
  escalation: {
    /** In working minutes (09:00–17:00, Monday–Friday, public holidays off). */
    remindAfterMinutes: number;
    fallbackChannel?: string;
    adminUsers: readonly string[];
  };
  retentionDays: number;
  rateLimitPerMinute: number;
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
  if (!e.FAQ_CLARIFY_MAX_SCORE || e.FAQ_CLARIFY_MAX_SCORE < e.FAQ_ANSWER_MAX_SCORE) {
    problems.push('FAQ_CLARIFY_MAX_SCORE : doit être supérieur ou égal à FAQ_ANSWER_MAX_SCORE');
  }
  // Between the two: an anchored question above the clarification threshold would abstain where it should clarify.
  if (
    !e.FAQ_ANCHORED_ANSWER_MAX_SCORE ||
    e.FAQ_ANCHORED_ANSWER_MAX_SCORE < e.FAQ_ANSWER_MAX_SCORE ||
    e.FAQ_ANCHORED_ANSWER_MAX_SCORE > e.FAQ_CLARIFY_MAX_SCORE
  ) {
    problems.push('FAQ_ANCHORED_ANSWER_MAX_SCORE : doit être compris entre FAQ_ANSWER_MAX_SCORE et FAQ_CLARIFY_MAX_SCORE');
  }
  if (!e.FAQ_NAMED_ANSWER_MAX_SCORE || e.FAQ_NAMED_ANSWER_MAX_SCORE < e.FAQ_ANCHORED_ANSWER_MAX_SCORE || e.FAQ_NAMED_ANSWER_MAX_SCORE > e.FAQ_SUGGEST_MAX_SCORE) {
    problems.push('FAQ_NAMED_ANSWER_MAX_SCORE : doit être compris entre FAQ_ANCHORED_ANSWER_MAX_SCORE et FAQ_SUGGEST_MAX_SCORE');
  }
  if (!e.FAQ_SUGGEST_MAX_SCORE || e.FAQ_SUGGEST_MAX_SCORE < e.FAQ_CLARIFY_MAX_SCORE) {
    problems.push('FAQ_SUGGEST_MAX_SCORE : doit être supérieur ou égal à FAQ_CLARIFY_MAX_SCORE');
  }
  if (!e.FAQ_NAMED_SUGGEST_MAX_SCORE || e.FAQ_NAMED_SUGGEST_MAX_SCORE < e.FAQ_SUGGEST_MAX_SCORE) {
    problems.push('FAQ_NAMED_SUGGEST_MAX_SCORE : doit être supérieur ou égal à FAQ_SUGGEST_MAX_SCORE');
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
    faq: {
      answerMaxScore: e.FAQ_ANSWER_MAX_SCORE,
      answerMinMargin: e.FAQ_ANSWER_MIN_MARGIN,
      clarifyMaxScore: e.FAQ_CLARIFY_MAX_SCORE,
      anchoredAnswerMaxScore: e.FAQ_ANCHORED_ANSWER_MAX_SCORE,
      namedAnswerMaxScore: e.FAQ_NAMED_ANSWER_MAX_SCORE,
      namedAnswerMinMargin: e.FAQ_NAMED_ANSWER_MIN_MARGIN,
      suggestMaxScore: e.FAQ_SUGGEST_MAX_SCORE,
      namedSuggestMaxScore: e.FAQ_NAMED_SUGGEST_MAX_SCORE,
    },
    escalation: {
      remindAfterMinutes: e.ESCALATION_REMIND_AFTER,
      fallbackChannel: e.ESCALATION_FALLBACK_CHANNEL,
      adminUsers: e.ADMIN_USERS,
    },
    retentionDays: e.RETENTION_DAYS,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
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

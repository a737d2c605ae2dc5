import path from 'node:path';
import type { Config } from './config.js';
import { createChoiceMemory } from './core/choices.js';
import { systemClock, type Clock } from './core/clock.js';
import type { Notifier } from './core/notifier.js';
import { createConcurrencyGuard, createRateLimiter } from './core/guards.js';
import { createRouter, type Router } from './core/router.js';
import type { Logger } from './logger.js';
import { MATTERMOST_MIGRATIONS } from './mattermost/answered-posts.js';
import { createHandledInputStore, HANDLED_INPUT_MIGRATIONS } from './mattermost/handled-inputs.js';
import { FAQ_MIGRATIONS, registerFaq } from './features/faq/faq-handlers.js';
import { createPersonalDataRegistry, type PersonalDataRegistry } from './features/privacy/personal-data.js';
import { registerPrivacy } from './features/privacy/privacy-handlers.js';
import { ESCALATION_MIGRATIONS, registerEscalation } from './features/escalation/index.js';
import { DEADLINE_MIGRATIONS, registerDeadline } from './features/deadline/index.js';
import { DOSSIER_MIGRATIONS, registerDossier } from './features/dossier/index.js';
import type { CalendarPort } from './features/ports.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { openDatabase, type Database, type Migration } from './storage/database.js';

/**
 * The composition root shared by every way of running the bot (serve, chat, ask, tests): storage, router and
 * features. Transports (Mattermost HTTP/WebSocket, console) are added around it by their own entry points.
 */

/** Something that runs in the background (a scheduler, an outbox worker) and must stop cleanly. */
export interface BackgroundJob {
  name: string;
  start(): void;
  stop(): Promise<void>;
}

export type ReadinessCheck = () => { ok: boolean; detail?: string };

export interface ReloadResult {
  ok: boolean;
  /** What is now in use, in French, e.g. « 72 fiches ». */
  summary: string;
  /** `file: problem` lines when not ok; the previous version stays in use. */
  problems: readonly string[];
}

/** Re-reads files (knowledge base, directory) without a restart: admin command, file change, SIGHUP. */
export type Reloadable = () => ReloadResult;

export interface FeatureDeps {
  config: Readonly<Config>;
  log: Logger;
  clock: Clock;
  db: Database;
  router: Router;
  notifier: Notifier;
  addJob(job: BackgroundJob): void;
  addReadinessCheck(name: string, check: ReadinessCheck): void;
  addReloadable(name: string, reload: Reloadable): void;
  /** Runs every registered reload (the admin command uses it); results by name. */
  reloadAll(): Record<string, ReloadResult>;
  /** Counters and state gauges (GET /metrics when served). */
  metrics: Metrics;
  /** Every feature that stores something about a user declares it here (RGPD export, erasure, retention). */
  personalData: PersonalDataRegistry;
}

export interface App {
  config: Readonly<Config>;
  log: Logger;
  clock: Clock;
  db: Database;
  router: Router;
  notifier: Notifier;
  metrics: Metrics;
  /** Starts background jobs (reminders, outbox…). The console and tests may leave them stopped. */
  start(): void;
  readiness(): Record<string, { ok: boolean; detail?: string }>;
  reloadAll(): Record<string, ReloadResult>;
  close(): Promise<void>;
}

export interface AppOptions {
  config: Readonly<Config>;
  log: Logger;
  notifier: Notifier;
  clock?: Clock;
  /** Defaults to `DATA_DIR/certif-bot.sqlite`; tests pass `:memory:` or a temp file. */
  databaseFile?: string;
  /** Shared with the HTTP server when serving; a private registry otherwise. */
  metrics?: Metrics;
}

/** Every feature's schema changes, in order. A feature appends its own list here (ids prefixed by the feature). */
export const ALL_MIGRATIONS: readonly Migration[] = [
  ...MATTERMOST_MIGRATIONS,
  ...HANDLED_INPUT_MIGRATIONS,
  // feature migrations
  ...DOSSIER_MIGRATIONS,
  ...DEADLINE_MIGRATIONS,
  ...FAQ_MIGRATIONS,
  ...ESCALATION_MIGRATIONS,
];

export function createApp(options: AppOptions): App {
  const { config, log, notifier } = options;
  const clock = options.clock ?? systemClock;
  const db = openDatabase({
    file: options.databaseFile ?? path.join(config.dataDir, 'certif-bot.sqlite'),
    migrations: ALL_MIGRATIONS,
  });
  const metrics = options.metrics ?? createMetrics({ defaultMetrics: false });
  const router = createRouter({
    log,
    clock,
    rateLimiter: createRateLimiter({ perMinute: config.rateLimitPerMinute }),
    clickRateLimiter: createRateLimiter({ perMinute: config.clickRateLimitPerMinute }),
    concurrency: createConcurrencyGuard(config.maxConcurrentRequests),
    observe: (incoming, reply, durationMs) => metrics.observeInput(incoming, reply, durationMs),
    choices: createChoiceMemory(),
  });
  const jobs: BackgroundJob[] = [];
  const reloadables = new Map<string, Reloadable>();
  const reloadAll = (): Record<string, ReloadResult> =>
    Object.fromEntries([...reloadables].map(([name, reload]) => [name, reload()]));
  const checks = new Map<string, ReadinessCheck>([
    [
      'storage',
      () => {
        try {
          db.prepare('SELECT 1').get();
          return { ok: true };
        } catch (error) {
          return { ok: false, detail: String(error) };
        }
      },
    ],
  ]);

  const deps: FeatureDeps = {
    config,
    log,
    clock,
    db,
    router,
    notifier,
    addJob: (job) => jobs.push(job),
    addReadinessCheck: (name, check) => checks.set(name, check),
    addReloadable: (name, reload) => reloadables.set(name, reload),
    reloadAll,
    metrics,
    personalData: createPersonalDataRegistry(),
  };
  registerFeatures(deps);
  const handled = createHandledInputStore(db);
  deps.personalData.add({
    label: 'Réponses à vos derniers clics',
    purpose:
      'Répondre de la même façon, sans rien refaire, si Mattermost renvoie un clic ou un formulaire déjà traité ; ' +
      'gardées le temps de validité du bouton ou du formulaire.',
    exportFor: (userId) => ({ count: handled.countFor(userId) }),
    summarize: (userId) => {
      const count = handled.countFor(userId);
      return count > 0 ? `${count} réponse${count > 1 ? 's' : ''} à des clics ou formulaires récents` : undefined;
    },
    eraseFor: (userId) => handled.eraseFor(userId),
  });

  let started = false;
  return {
    config,
    log,
    clock,
    db,
    router,
    notifier,
    metrics,
    reloadAll,
    start() {
      if (started) return;
      started = true;
      for (const job of jobs) job.start();
    },
    readiness() {
      return Object.fromEntries([...checks].map(([name, check]) => [name, check()]));
    },
    async close() {
      await Promise.allSettled(jobs.map((job) => job.stop()));
      if (db.open) db.close();
    },
  };
}

/** Registration order matters only where a feature hands a port to another. */
function registerFeatures(deps: FeatureDeps): void {
  // features
  const faq = registerFaq(deps);
  let calendars: CalendarPort | undefined;
  const dossier = registerDossier(deps, { calendars: () => calendars });
  calendars = registerDeadline(deps, { dossier });
  registerEscalation(deps, { faq });
  registerPrivacy(deps);
}

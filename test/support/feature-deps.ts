import type { BackgroundJob, FeatureDeps, Reloadable } from '../../src/app.js';
import { fixedClock } from '../../src/core/clock.js';
import { createRouter } from '../../src/core/router.js';
import { loadConfig } from '../../src/config.js';
import { createPersonalDataRegistry } from '../../src/features/privacy/personal-data.js';
import { createSilentLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { openDatabase, type Migration } from '../../src/storage/database.js';
import { createRecordingNotifier } from './recording-notifier.js';

export interface TestFeatureDeps extends FeatureDeps {
  clock: ReturnType<typeof fixedClock>;
  jobs: BackgroundJob[];
  reloadables: Map<string, Reloadable>;
}

/**
 * What `createApp` hands a feature, built for one feature alone: its own migrations on in-memory SQLite (or a file),
 * a bare router, a fixed clock, a recording notifier. For tests of a feature in isolation; `createTestApp` gives the
 * whole app.
 */
export function aFeatureDeps(options: {
  migrations?: readonly Migration[];
  env?: Record<string, string>;
  now?: string;
  databaseFile?: string;
  overrides?: Partial<FeatureDeps>;
} = {}): TestFeatureDeps {
  const clock = fixedClock(options.now ?? '2026-11-23T09:00:00Z');
  const log = createSilentLogger();
  const jobs: BackgroundJob[] = [];
  const reloadables = new Map<string, Reloadable>();
  return {
    config: loadConfig({ DATA_DIR: '/tmp/certif-bot-test-data', ...options.env }),
    log,
    clock,
    db: openDatabase({ file: options.databaseFile ?? ':memory:', migrations: options.migrations ?? [] }),
    router: createRouter({ log, clock }),
    notifier: createRecordingNotifier(),
    addJob: (job) => jobs.push(job),
    addReadinessCheck: () => undefined,
    addReloadable: (name, reload) => reloadables.set(name, reload),
    reloadAll: () => Object.fromEntries([...reloadables].map(([name, reload]) => [name, reload()])),
    metrics: createMetrics({ defaultMetrics: false }),
    personalData: createPersonalDataRegistry(),
    jobs,
    reloadables,
    ...options.overrides,
  } as TestFeatureDeps;
}

import type { Clock } from '../../core/clock.js';
import type { Metrics } from '../../observability/metrics.js';
import type { Database } from '../../storage/database.js';

/** Age buckets of tickets that are not closed, as operators read them (working time aside), youngest first. */
const AGE_BUCKETS = [
  { label: 'moins_1j', maxHours: 24 },
  { label: '1j_3j', maxHours: 72 },
  { label: '3j_7j', maxHours: 168 },
] as const;
const OLDEST_BUCKET = 'plus_7j';

/** Gauges read from SQLite at scrape time: tickets by state and age, and messages still waiting in the outbox. */
export function registerEscalationMetrics(metrics: Metrics, db: Database, clock: Clock): void {
  const countByState = db.prepare('SELECT state, COUNT(*) AS n FROM escalation_tickets GROUP BY state');
  // One SUM per bucket, between the instants that close it (@l0 = 24 h ago, @l1 = 72 h ago…); the last is open-ended.
  const bucketSums = [...AGE_BUCKETS, undefined].map((_, index) => {
    const youngerThan = index < AGE_BUCKETS.length ? `created_at > @l${index}` : '1';
    const olderThan = index > 0 ? `created_at <= @l${index - 1}` : '1';
    return `SUM(${olderThan} AND ${youngerThan}) AS b${index}`;
  });
  const countByAge = db.prepare(`SELECT ${bucketSums.join(', ')} FROM escalation_tickets WHERE state != 'closed'`);
  const countBacklog = db.prepare('SELECT COUNT(*) AS n FROM escalation_outbox WHERE delivered_at IS NULL');
  metrics.addStateGauge({
    name: 'certif_bot_tickets',
    help: 'Escalation tickets by state.',
    labelNames: ['state'],
    collect: () =>
      (countByState.all() as { state: string; n: number }[]).map((row) => ({
        labels: { state: row.state },
        value: row.n,
      })),
  });
  metrics.addStateGauge({
    name: 'certif_bot_tickets_not_closed_by_age',
    help: 'Tickets not closed yet, by age since creation.',
    labelNames: ['age'],
    collect: () => {
      // created_at is an ISO-8601 UTC string: comparing strings compares instants, so SQLite counts every bucket.
      const now = clock.now().getTime();
      const limits = Object.fromEntries(AGE_BUCKETS.map((bucket, index) => [`l${index}`, new Date(now - bucket.maxHours * 3_600_000).toISOString()]));
      const row = countByAge.get(limits) as Record<string, number | null>;
      return [...AGE_BUCKETS.map((bucket) => bucket.label), OLDEST_BUCKET].map((age, index) => ({ labels: { age }, value: row[`b${index}`] ?? 0 }));
    },
  });
  metrics.addStateGauge({
    name: 'certif_bot_outbox_backlog',
    help: 'Ticket messages (cards, updates, relays, reminders) not yet accepted by Mattermost.',
    collect: () => [{ value: (countBacklog.get() as { n: number }).n }],
  });
}

import type { Clock } from '../../core/clock.js';
import type { Metrics } from '../../observability/metrics.js';
import type { Database } from '../../storage/database.js';

/** Age buckets of tickets that are not closed, as operators read them (working time aside). */
const AGE_BUCKETS = [
  { label: 'moins_1j', maxHours: 24 },
  { label: '1j_3j', maxHours: 72 },
  { label: '3j_7j', maxHours: 168 },
  { label: 'plus_7j', maxHours: Number.POSITIVE_INFINITY },
] as const;

/** Gauges read from SQLite at scrape time: tickets by state and age, and messages still waiting in the outbox. */
export function registerEscalationMetrics(metrics: Metrics, db: Database, clock: Clock): void {
  metrics.addStateGauge({
    name: 'certif_bot_tickets',
    help: 'Escalation tickets by state.',
    labelNames: ['state'],
    collect: () =>
      (db.prepare('SELECT state, COUNT(*) AS n FROM escalation_tickets GROUP BY state').all() as { state: string; n: number }[]).map((row) => ({
        labels: { state: row.state },
        value: row.n,
      })),
  });
  metrics.addStateGauge({
    name: 'certif_bot_tickets_not_closed_by_age',
    help: 'Tickets not closed yet, by age since creation.',
    labelNames: ['age'],
    collect: () => {
      const now = clock.now().getTime();
      const rows = db.prepare("SELECT created_at FROM escalation_tickets WHERE state != 'closed'").all() as { created_at: string }[];
      const counts = new Map<string, number>(AGE_BUCKETS.map((bucket) => [bucket.label, 0]));
      for (const row of rows) {
        const hours = (now - Date.parse(row.created_at)) / 3_600_000;
        const label = (AGE_BUCKETS.find((candidate) => hours < candidate.maxHours) ?? AGE_BUCKETS[3]).label;
        counts.set(label, (counts.get(label) ?? 0) + 1);
      }
      return [...counts].map(([age, value]) => ({ labels: { age }, value }));
    },
  });
  metrics.addStateGauge({
    name: 'certif_bot_outbox_backlog',
    help: 'Ticket messages (cards, updates, relays, reminders) not yet accepted by Mattermost.',
    collect: () => [{ value: (db.prepare('SELECT COUNT(*) AS n FROM escalation_outbox WHERE delivered_at IS NULL').get() as { n: number }).n }],
  });
}

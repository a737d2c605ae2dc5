import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Incoming } from '../core/incoming.js';
import type { Reply } from '../core/reply.js';

/**
 * Prometheus metrics (GET /metrics). Counters are fed by the router's observer and by the transports; gauges that
 * describe stored state (tickets, outbox) are read from SQLite at scrape time through collectors the features add.
 */
export interface Metrics {
  readonly registry: Registry;
  /** The router's observer: questions by outcome, feedback, refused inputs, handling time. */
  observeInput(incoming: Incoming, reply: Reply, durationMs: number): void;
  observeHttp(labels: { method: string; route: string; status: number }, seconds: number): void;
  countMattermostError(kind: 'network' | 'rate_limited' | 'server' | 'client'): void;
  countReminderSent(kind: string): void;
  /** A gauge whose values are computed at each scrape, e.g. tickets by state from SQLite. */
  addStateGauge(options: {
    name: string;
    help: string;
    labelNames?: readonly string[];
    collect: () => readonly { labels?: Record<string, string>; value: number }[];
  }): void;
  render(): Promise<string>;
  readonly contentType: string;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'certif_bot_' });

  const questions = new Counter({
    name: 'certif_bot_questions_total',
    help: 'Questions handled by the FAQ, by outcome (answered, clarified, abstained, small_talk, invalid).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const feedback = new Counter({
    name: 'certif_bot_feedback_total',
    help: 'Feedback clicks on FAQ answers.',
    labelNames: ['useful'] as const,
    registers: [registry],
  });
  const refused = new Counter({
    name: 'certif_bot_inputs_refused_total',
    help: 'Inputs refused by a guard (rate_limited, busy).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const handling = new Histogram({
    name: 'certif_bot_input_handling_seconds',
    help: 'Time to build a reply, by input kind.',
    labelNames: ['kind'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const http = new Histogram({
    name: 'certif_bot_http_request_duration_seconds',
    help: 'HTTP request latency by route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const mattermostErrors = new Counter({
    name: 'certif_bot_mattermost_api_errors_total',
    help: 'Failed Mattermost API calls, by kind.',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const reminders = new Counter({
    name: 'certif_bot_reminders_sent_total',
    help: 'Reminders delivered, by kind.',
    labelNames: ['kind'] as const,
    registers: [registry],
  });

  return {
    registry,
    observeInput(incoming, reply, durationMs) {
      handling.observe({ kind: incoming.kind }, durationMs / 1000);
      const meta = reply.type === 'message' ? reply.meta : undefined;
      if (meta?.faq) questions.inc({ outcome: meta.faq.outcome });
      if (meta?.refused) refused.inc({ reason: meta.refused });
      if (incoming.kind === 'action' && incoming.action === 'faq.feedback' && typeof incoming.payload.useful === 'boolean') {
        feedback.inc({ useful: String(incoming.payload.useful) });
      }
    },
    observeHttp(labels, seconds) {
      http.observe({ method: labels.method, route: labels.route, status: String(labels.status) }, seconds);
    },
    countMattermostError(kind) {
      mattermostErrors.inc({ kind });
    },
    countReminderSent(kind) {
      reminders.inc({ kind });
    },
    addStateGauge({ name, help, labelNames = [], collect }) {
      new Gauge({
        name,
        help,
        labelNames: [...labelNames],
        registers: [registry],
        collect() {
          this.reset();
          for (const sample of collect()) {
            if (sample.labels) this.set(sample.labels, sample.value);
            else this.set(sample.value);
          }
        },
      });
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

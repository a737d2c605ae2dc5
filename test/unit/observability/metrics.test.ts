import { describe, expect, it } from 'vitest';
import { CONSOLE_CONVERSATION, CONSOLE_USER } from '../../../src/core/incoming.js';
import { message } from '../../../src/core/reply.js';
import { createMetrics } from '../../../src/observability/metrics.js';

const base = { transport: 'console' as const, user: CONSOLE_USER, conversation: CONSOLE_CONVERSATION };

describe('metrics', () => {
  it('counts questions by outcome, feedback and refusals, and renders Prometheus text', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const answered = message('x', { meta: { faq: { outcome: 'answered', entry: 'a', confidence: 0.9, suggestions: [] } } });
    metrics.observeInput({ ...base, kind: 'message', text: 'q' }, answered, 2);
    metrics.observeInput({ ...base, kind: 'message', text: 'q' }, answered, 3);
    metrics.observeInput({ ...base, kind: 'action', action: 'faq.feedback', payload: { useful: false } }, message('merci'), 1);
    metrics.observeInput({ ...base, kind: 'command', command: 'c', text: '' }, message('stop', { meta: { refused: 'rate_limited' } }), 0);
    metrics.observeHttp({ method: 'POST', route: '/mattermost/command', status: 200 }, 0.004);
    metrics.countMattermostError('rate_limited');
    const text = await metrics.render();
    expect(text).toContain('certif_bot_questions_total{outcome="answered"} 2');
    expect(text).toContain('certif_bot_feedback_total{useful="false"} 1');
    expect(text).toContain('certif_bot_inputs_refused_total{reason="rate_limited"} 1');
    expect(text).toContain('certif_bot_mattermost_api_errors_total{kind="rate_limited"} 1');
    expect(text).toMatch(/certif_bot_http_request_duration_seconds_count\{method="POST",route="\/mattermost\/command",status="200"\} 1/);
  });

  it('reads state gauges at scrape time', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    let open = 3;
    metrics.addStateGauge({
      name: 'certif_bot_tickets',
      help: 'Tickets by state.',
      labelNames: ['state'],
      collect: () => [{ labels: { state: 'open' }, value: open }],
    });
    expect(await metrics.render()).toContain('certif_bot_tickets{state="open"} 3');
    open = 1;
    expect(await metrics.render()).toContain('certif_bot_tickets{state="open"} 1');
  });
});

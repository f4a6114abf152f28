import { Counter, type Registry } from 'prom-client';
import type { SlackMetrics } from '../../app/ports.js';

/** SlackMetrics on prom-client, registered in the /metrics registry. */
export function createPromSlackMetrics(registry: Registry): SlackMetrics {
  const requests = new Counter({ name: 'cxloop_slack_requests_total', help: 'Requests to /slack/events by outcome', labelNames: ['outcome'], registers: [registry] });
  const sent = new Counter({ name: 'cxloop_slack_calls_total', help: 'Slack calls of the outbox sender by kind (message, digest, edit) and outcome', labelNames: ['kind', 'outcome'], registers: [registry] });
  const digested = new Counter({ name: 'cxloop_slack_digested_messages_total', help: 'Queued Slack messages sent as lines of a digest during a burst', registers: [registry] });
  return {
    request: (outcome) => requests.inc({ outcome }),
    sent: (kind, outcome) => sent.inc({ kind, outcome }),
    digested: (items) => digested.inc(items),
  };
}

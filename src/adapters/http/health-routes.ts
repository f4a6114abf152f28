import type { Registry } from 'prom-client';
import type { HealthCheck } from '../../app/ports.js';
import { sendJson, type Route } from '../../app/http-route.js';

/** GET /healthz: 200 when every dependency answers, 503 naming the ones that do not. */
export function healthzRoute(checks: readonly HealthCheck[], info: Readonly<Record<string, unknown>>): Route {
  return {
    method: 'GET',
    path: '/healthz',
    async handler(_request, response) {
      const results = await Promise.all(checks.map(async (check) => [check.name, await check.check()] as const));
      const failing = results.filter(([, result]) => !result.ok);
      sendJson(response, failing.length === 0 ? 200 : 503, {
        status: failing.length === 0 ? 'ok' : 'degraded',
        ...info,
        checks: Object.fromEntries(results.map(([name, result]) => [name, result.ok ? 'ok' : result.reason])),
      });
    },
  };
}

/** GET /metrics in the Prometheus text exposition format. */
export function metricsRoute(registry: Registry): Route {
  return {
    method: 'GET',
    path: '/metrics',
    async handler(_request, response) {
      const body = await registry.metrics();
      response.writeHead(200, { 'content-type': registry.contentType });
      response.end(body);
    },
  };
}

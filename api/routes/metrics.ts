/**
 * `GET /metrics` of the API in Prometheus' text format: basic auth when METRICS_USER / METRICS_PASSWORD are
 * set, otherwise loopback callers only (the API's port is usually public: Xero posts its webhooks there).
 */
import { Router } from 'express';
import type { Registry } from 'prom-client';
import { hasMetricsCredentials, isLoopback, METRICS_REALM, type MetricsCredentials } from '../../metrics/access.ts';
import { HttpError } from '../errors.ts';

export function apiMetricsRouter({ registry, credentials }: { registry: Registry; credentials?: MetricsCredentials }): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (credentials && !hasMetricsCredentials(req.get('authorization'), credentials)) {
      res.set('www-authenticate', METRICS_REALM);
      throw new HttpError(401, 'unauthenticated', 'Send the metrics credentials (METRICS_USER, METRICS_PASSWORD) with HTTP basic auth.');
    }
    if (!credentials && !isLoopback(req.ip)) {
      throw new HttpError(403, 'metrics_not_public', 'Without METRICS_USER and METRICS_PASSWORD, /metrics answers only on this host: set both to scrape it from elsewhere.');
    }
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}

/**
 * The worker's `GET /metrics` (Prometheus text format) on a port of its own, METRICS_HOST:METRICS_PORT: its
 * registry, then the Temporal SDK's metrics merged in. Basic auth when METRICS_USER / METRICS_PASSWORD are set.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { ConfigError } from '../config/env.ts';
import type { Logger } from '../config/logger.ts';
import { hasMetricsCredentials, isLoopback, METRICS_REALM, type MetricsCredentials } from '../metrics/access.ts';
import { scrapeTemporalSdk, type TemporalSdkMetrics } from '../metrics/temporal-sdk.ts';

export interface WorkerMetricsServer {
  url: string;
  close(): Promise<void>;
}

export async function startWorkerMetricsServer(options: {
  registry: Registry;
  temporalSdk?: TemporalSdkMetrics;
  credentials?: MetricsCredentials;
  host: string;
  port: number;
  logger: Logger;
}): Promise<WorkerMetricsServer> {
  const { registry, temporalSdk, credentials, host, port, logger } = options;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://worker').pathname;
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics\n');
      return;
    }
    if (credentials && !hasMetricsCredentials(req.headers.authorization, credentials)) {
      res.writeHead(401, { 'www-authenticate': METRICS_REALM, 'content-type': 'text/plain' }).end('metrics credentials required\n');
      return;
    }
    Promise.all([registry.metrics(), temporalSdk ? scrapeTemporalSdk(temporalSdk) : ''])
      .then(([own, sdk]) => res.writeHead(200, { 'content-type': registry.contentType }).end(`${own}\n${sdk}`))
      .catch((err: unknown) => {
        logger.error({ err }, 'metrics: scrape failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('scrape failed\n');
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new ConfigError(`METRICS_PORT: ${host}:${port} is already in use (stop what listens there, or set METRICS_PORT; 0 picks a free one)`) : err),
    );
    server.listen(port, host, () => resolve());
  });
  if (!credentials && !isLoopback(host) && host !== 'localhost') {
    logger.warn({ host }, 'metrics: /metrics listens beyond loopback without METRICS_USER/METRICS_PASSWORD: anyone who reaches the port can read it');
  }
  const { port: bound } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

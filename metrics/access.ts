/**
 * Who may read `/metrics`: with METRICS_USER and METRICS_PASSWORD set, whoever sends them (HTTP basic auth),
 * on the API and on the worker alike; without them, the worker's endpoint is only as reachable as
 * METRICS_HOST makes it (loopback by default) and the API's answers loopback callers only, since the API's
 * port is usually public (Xero posts its webhooks there).
 */
import { timingSafeEqual } from 'node:crypto';

export interface MetricsCredentials {
  user: string;
  password: string;
}

export function metricsCredentials(env: { METRICS_USER?: string; METRICS_PASSWORD?: string }): MetricsCredentials | undefined {
  return env.METRICS_USER && env.METRICS_PASSWORD ? { user: env.METRICS_USER, password: env.METRICS_PASSWORD } : undefined;
}

/** Whether an `Authorization` header carries these credentials, compared in constant time. */
export function hasMetricsCredentials(header: string | undefined, credentials: MetricsCredentials): boolean {
  const match = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1], 'base64');
  const expected = Buffer.from(`${credentials.user}:${credentials.password}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const METRICS_REALM = 'Basic realm="xero-sync metrics", charset="UTF-8"';

export function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

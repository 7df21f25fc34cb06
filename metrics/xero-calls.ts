/**
 * Every request sent to Xero's Accounting API, counted by endpoint template and status class, its 429s by
 * kind, and what Xero said is left of each organisation's budget.
 *
 * Label sets are bounded: the endpoint is a template (`POST /Invoices`, `GET /Invoices/{id}`), never a URL
 * with ids; status is a class. The budget gauge is labelled by organisation: one series per organisation and
 * window, bounded by the number of organisations (a few thousand at most per deployment), which is what an
 * operator asks of it ("which organisation is out of budget"); nothing per record.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { XeroCallObservation, XeroCallObserver } from '../xero/client.ts';

const RATE_LIMIT_KINDS = new Set(['minute', 'day', 'concurrent', 'appminute']);

/**
 * `POST /Invoices`, `GET /Invoices/{id}`, `POST /Invoices/{id}/Email`: Xero's paths alternate resource and id,
 * so every second segment is an id whatever it looks like (a GUID, an invoice number).
 */
export function endpointTemplate(method: string, url: string): string {
  const path = new URL(url, 'http://xero.invalid').pathname.replace(/^.*?\/api\.xro\/2\.0(?=\/|$)/, '');
  const segments = path.split('/').filter(Boolean).map((segment, i) => (i % 2 === 1 ? '{id}' : segment));
  return `${method.toUpperCase()} /${segments.join('/')}`;
}

export function statusClass(status: number): string {
  return status === 0 ? 'network' : `${Math.floor(status / 100)}xx`;
}

export function createXeroCallMetrics(registry: Registry): XeroCallObserver {
  const calls = new Counter({
    name: 'xero_sync_xero_calls_total',
    help: 'Requests sent to the Xero Accounting API, by endpoint template and status class (2xx, 4xx, 5xx, network).',
    labelNames: ['endpoint', 'status_class'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'xero_sync_xero_rate_limited_total',
    help: "Xero's 429 answers, by the limit it named (X-Rate-Limit-Problem: minute, day, concurrent, appminute, unknown).",
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const budget = new Gauge({
    name: 'xero_sync_xero_budget_remaining',
    help: "Calls Xero said are left of an organisation's budget at its last answer (X-MinLimit-Remaining, X-DayLimit-Remaining), by organisation and window (minute, day).",
    labelNames: ['org_id', 'window'] as const,
    registers: [registry],
  });
  const appMinute = new Gauge({
    name: 'xero_sync_xero_app_minute_remaining',
    help: "Calls Xero said are left of the app's minute budget, all organisations together (X-AppMinLimit-Remaining), at its last answer.",
    registers: [registry],
  });
  return (call: XeroCallObservation) => {
    calls.inc({ endpoint: endpointTemplate(call.method, call.url), status_class: statusClass(call.status) });
    if (call.status === 429) rateLimited.inc({ kind: call.rateLimitProblem && RATE_LIMIT_KINDS.has(call.rateLimitProblem) ? call.rateLimitProblem : 'unknown' });
    const { minuteRemaining, dayRemaining, appMinuteRemaining } = call.rateLimits;
    if (minuteRemaining !== undefined) budget.set({ org_id: call.orgId, window: 'minute' }, minuteRemaining);
    if (dayRemaining !== undefined) budget.set({ org_id: call.orgId, window: 'day' }, dayRemaining);
    if (appMinuteRemaining !== undefined) appMinute.set(appMinuteRemaining);
  };
}

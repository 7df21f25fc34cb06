/**
 * Turns whatever xero-node rejects with into one typed failure, by status and body shape, never by
 * searching message text. xero-node's Accounting methods reject with a JSON STRING
 * `{response:{statusCode, body, headers}, body}` (statusCode 0 for a network failure); a non-2xx it could
 * parse rejects with an object `{response, body}`; client-level calls reject with an axios error.
 */

export type XeroFailureKind =
  | 'validation' // 400 ValidationException: the records are wrong; retrying will not help
  | 'bad_request' // other 400s (e.g. an Idempotency-Key reused with another body)
  | 'auth' // 401: token expired or revoked
  | 'forbidden' // 403: tenant not connected, scope missing
  | 'not_found' // 404
  | 'rate_limited' // 429 (minute, day, concurrent, appminute)
  | 'server' // 5xx: Xero's side; retry with backoff
  | 'network' // no answer at all
  | 'scope_missing'; // the app was never granted the scope this call needs (see xero/scopes.ts): not a dead grant

export interface XeroFailure {
  kind: XeroFailureKind;
  status: number;
  /** Xero's own words, for the record and the admin. */
  message: string;
  /** For 429: how long Xero asked us to wait. */
  retryAfterMs?: number;
  /** For 429: which limit (minute, day, concurrent, appminute), lower-cased. */
  rateLimitProblem?: string;
  /** For validation: per-element errors, in request order when Xero returns elements. */
  elements?: Array<{ index: number; messages: string[]; element: Record<string, unknown> }>;
  body?: unknown;
  headers: Record<string, string>;
  /** For scope_missing: the scope to name to the admin. */
  missingScope?: string;
}

interface RawResponse {
  statusCode?: number;
  status?: number;
  body?: unknown;
  data?: unknown;
  headers?: Record<string, unknown>;
}

export function classifyXeroError(error: unknown): XeroFailure {
  const raw = parseRejection(error);
  const status = raw.status;
  const headers = lowerCaseHeaders(raw.headers);
  const message = xeroMessage(raw.body) ?? (status === 0 ? raw.fallbackMessage ?? 'no answer from Xero' : `HTTP ${status}`);
  const base = { status, message, body: raw.body, headers };

  if (status === 0) return { ...base, kind: 'network' };
  if (status === 429) {
    return {
      ...base,
      kind: 'rate_limited',
      retryAfterMs: retryAfterMs(headers),
      rateLimitProblem: headers['x-rate-limit-problem']?.toLowerCase(),
    };
  }
  if (status === 401) return { ...base, kind: 'auth' };
  if (status === 403) return { ...base, kind: 'forbidden' };
  if (status === 404) return { ...base, kind: 'not_found' };
  if (status >= 500) return { ...base, kind: 'server' };
  if (status === 400 && isValidationException(raw.body)) {
    return { ...base, kind: 'validation', elements: validationElements(raw.body) };
  }
  return { ...base, kind: 'bad_request' };
}

function parseRejection(error: unknown): { status: number; body: unknown; headers?: Record<string, unknown>; fallbackMessage?: string } {
  let value: unknown = error;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { status: 0, body: undefined, fallbackMessage: value as string };
    }
  }
  if (value && typeof value === 'object') {
    const v = value as { response?: RawResponse; body?: unknown; message?: string; isAxiosError?: boolean };
    if (v.response && typeof v.response === 'object') {
      const r = v.response;
      return { status: Number(r.statusCode ?? r.status ?? 0), body: r.body ?? r.data ?? v.body, headers: r.headers, fallbackMessage: v.message };
    }
    if (value instanceof Error) return { status: 0, body: undefined, fallbackMessage: value.message };
  }
  return { status: 0, body: undefined, fallbackMessage: String(error) };
}

function lowerCaseHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
  return out;
}

function retryAfterMs(headers: Record<string, string>): number | undefined {
  const value = headers['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function isValidationException(body: unknown): boolean {
  return !!body && typeof body === 'object' && (body as { Type?: string }).Type === 'ValidationException';
}

function validationElements(body: unknown): XeroFailure['elements'] {
  const elements = (body as { Elements?: Array<Record<string, unknown>> }).Elements ?? [];
  return elements.map((element, index) => ({
    index,
    element,
    messages: ((element.ValidationErrors as Array<{ Message?: string }> | undefined) ?? []).map((e) => e.Message ?? '').filter(Boolean),
  }));
}

/** Xero's own message in any of its shapes: classic `{Message}`, problem `{Title, Detail}`, OAuth `{error}`. */
function xeroMessage(body: unknown): string | undefined {
  if (!body) return undefined;
  if (typeof body === 'string') return body.slice(0, 500);
  if (typeof body !== 'object') return undefined;
  const b = body as { Message?: string; Detail?: string; Title?: string; error?: string; error_description?: string; Elements?: unknown[] };
  if (b.Elements && isValidationException(body)) {
    const first = validationElements(body)?.flatMap((e) => e.messages)[0];
    if (first) return first;
  }
  if (b.Detail || b.Title) return [b.Title, b.Detail].filter(Boolean).join(': ');
  return b.Message ?? b.error_description ?? b.error;
}

/** A Xero call that answered with a failure, thrown where the caller wants an exception (reads for an admin). */
export class XeroRequestFailed extends Error {
  override name = 'XeroRequestFailed';
  constructor(readonly failure: XeroFailure) {
    super(`Xero answered ${failure.status || 'nothing'}: ${failure.message}`);
  }
}

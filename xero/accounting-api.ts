/**
 * xero-node's Accounting API pointed at a configurable base URL (real Xero, or the sandbox).
 * One cheap instance per call: the access token belongs to one organisation and may rotate between calls.
 *
 * xero-node sets no timeout of its own (a request Xero never answers waits forever), so every request gets
 * `timeoutMs` and, when the caller can be cancelled (an activity), its abort signal: both end the request as a
 * network failure (status 0), which callers already treat as "Xero did not answer".
 */
import { AccountingApi } from 'xero-node';
import { applyWireExchange } from './wire-call.ts';

export interface RequestLimits {
  /** The longest one request may take. */
  timeoutMs?: number;
  /** Aborts the request (the activity was cancelled, the worker is shutting down). */
  signal?: AbortSignal;
}

export interface AccountingApiOptions extends RequestLimits {
  apiUrl: string;
  accessToken: string;
  /** Told the method and URL of the request this instance sends (for the metrics of Xero calls). */
  onRequest?: (method: string, url: string) => void;
}

export function accountingApi({ apiUrl, accessToken, timeoutMs, signal, onRequest }: AccountingApiOptions): AccountingApi {
  const api = new AccountingApi(`${apiUrl.replace(/\/+$/, '')}/api.xro/2.0`);
  api.accessToken = accessToken;
  // The "default" authentication is applied to every request's axios options just before it is sent: the one
  // hook xero-node offers, and the one per-instance place that sees which endpoint is called.
  api.setDefaultAuthentication({
    applyToRequest(options) {
      if (timeoutMs) options.timeout = timeoutMs;
      if (signal) options.signal = signal;
      onRequest?.(String(options.method ?? 'GET'), String(options.url ?? ''));
      // A batch push built in Xero's wire shape by us (wire-call.ts) goes out as it is.
      applyWireExchange(api, options);
    },
  });
  return api;
}

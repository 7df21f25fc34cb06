/**
 * xero-node's Accounting API pointed at a configurable base URL (real Xero, or the sandbox).
 * One cheap instance per call: the access token belongs to one organisation and may rotate between calls.
 */
import { AccountingApi } from 'xero-node';

export interface AccountingApiOptions {
  apiUrl: string;
  accessToken: string;
  /** Told the method and URL of the request this instance sends (xero-node hands them to its authentication hook). */
  onRequest?: (method: string, url: string) => void;
}

export function accountingApi({ apiUrl, accessToken, onRequest }: AccountingApiOptions): AccountingApi {
  const api = new AccountingApi(`${apiUrl.replace(/\/+$/, '')}/api.xro/2.0`);
  api.accessToken = accessToken;
  // The "default" authentication is a no-op in xero-node (OAuth2 is applied separately), called with the
  // request's options just before it is sent: the one per-instance place that sees which endpoint is called.
  if (onRequest) api.setDefaultAuthentication({ applyToRequest: (options) => onRequest(String(options.method ?? 'GET'), String(options.url ?? '')) });
  return api;
}

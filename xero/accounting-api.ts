/**
 * xero-node's Accounting API pointed at a configurable base URL (real Xero, or the sandbox).
 * One cheap instance per call: the access token belongs to one organisation and may rotate between calls.
 */
import { AccountingApi } from 'xero-node';

export function accountingApi({ apiUrl, accessToken }: { apiUrl: string; accessToken: string }): AccountingApi {
  const api = new AccountingApi(`${apiUrl.replace(/\/+$/, '')}/api.xro/2.0`);
  api.accessToken = accessToken;
  return api;
}

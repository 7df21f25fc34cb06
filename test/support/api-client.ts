/** The main app's side of the API, for tests: typed helpers over fetch with a token per organisation. */
import type { TestStack } from './stack.ts';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export function apiClient(stack: TestStack, orgId: string, role: 'service' | 'client_admin' | 'platform_admin' = 'service') {
  const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> => {
    const token = await stack.token(role, role === 'platform_admin' ? undefined : orgId);
    const res = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as T };
  };
  const base = `/api/orgs/${orgId}`;
  return {
    call,
    putContact: (id: string, contact: unknown) => call('PUT', `${base}/contacts/${id}`, contact),
    putContacts: (items: unknown[]) => call('PUT', `${base}/contacts`, { items }),
    putInvoice: (id: string, invoice: unknown) => call('PUT', `${base}/invoices/${id}`, invoice),
    putInvoices: (items: unknown[]) => call('PUT', `${base}/invoices`, { items }),
    postPayment: (payment: unknown) => call('POST', `${base}/payments`, payment),
    putExpense: (id: string, expense: unknown) => call('PUT', `${base}/expenses/${id}`, expense),
    putCreditNote: (id: string, creditNote: unknown) => call('PUT', `${base}/credit-notes/${id}`, creditNote),
    voidInvoice: (id: string) => call('POST', `${base}/invoices/${id}/void`),
    get: (kind: 'contacts' | 'invoices' | 'payments' | 'expenses' | 'credit-notes', id: string) => call('GET', `${base}/${kind}/${id}`),
  };
}

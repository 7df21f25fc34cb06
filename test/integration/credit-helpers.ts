/** Credit notes in tests: the main app's body, and a bookkeeper's own app working in Xero through the Accounting API. */
import { expect } from 'vitest';
import type { Sandbox } from '../../sandbox/index.ts';

/** A credit note body for the API: one line of `unitAmount` (15% GST on top, as the sandbox's default tax). */
export const creditNote = (contactId: string, number: string, unitAmount: string, extra: Record<string, unknown> = {}) => ({
  contactId,
  number,
  date: '2026-11-05',
  lines: [{ description: 'Credit for a cancelled event', quantity: 1, unitAmount }],
  ...extra,
});

/** A bookkeeper's app with its own custom connection to the organisation: what they do "in Xero". */
export async function bookkeeper(sandbox: Sandbox, tenantId: string) {
  const app = sandbox.control.registerClient({ kind: 'custom', tenantIds: [tenantId], name: 'Bookkeeper' });
  const token = (await (
    await fetch(`${sandbox.url}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    })
  ).json()) as { access_token: string };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token.access_token}`, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const answer = (await res.json()) as Record<string, any>;
    expect(res.status, JSON.stringify(answer)).toBe(200);
    return answer;
  };
  return {
    allocate: (creditNoteId: string, invoiceId: string, amount: number) =>
      call('PUT', `/CreditNotes/${creditNoteId}/Allocations?summarizeErrors=false`, { Allocations: [{ Invoice: { InvoiceID: invoiceId }, Amount: amount, Date: '2026-11-20' }] }),
    voidCreditNote: (creditNoteId: string) => call('POST', `/CreditNotes/${creditNoteId}`, { CreditNotes: [{ Status: 'VOIDED' }] }),
  };
}

/**
 * Revenue recognition's test stack: the "from Xero back" stack (webhooks reach the API, so a void in Xero is
 * read back), organisations connected through the API (so their revenue schedule is created), deferred
 * invoices pushed through the API, the schedule run as of the 1st of a given month (a backfill, which is what
 * Temporal does for a missed run), and Xero's own records of journals and invoices.
 */
import { and, asc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { orgMappings, orgSettings, organisations, revenueJournals, syncState } from '../../db/schema/index.ts';
import { createSecretBox } from '../../lib/secret-box.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import { revenueScheduleId } from '../../workflows/ids.ts';
import { eventually, newOrgId } from '../support/stack.ts';
import { apiClient } from '../support/api-client.ts';
import { integrationApi } from '../support/xero-consent.ts';
import type { FromXeroStack } from './reconcile-helpers.ts';

export const NARRATION_PREFIX = 'xero-sync revenue recognition';

export interface RevenueOrgOptions {
  organisation?: Omit<Parameters<Sandbox['control']['createOrganisation']>[0], 'name'>;
  settings?: Partial<typeof orgSettings.$inferInsert>;
  taxTypes?: Record<string, string>;
}

/** An organisation with a deferred revenue account (835) connected through the API (custom connection). */
export async function connectRevenueOrg(s: FromXeroStack, { organisation = {}, settings = {}, taxTypes = { GST: 'OUTPUT2' } }: RevenueOrgOptions = {}) {
  const orgId = newOrgId();
  const { tenantId } = s.sandbox.control.createOrganisation({ name: `Revenue ${orgId.slice(4, 12)}`, ...organisation });
  const client = s.sandbox.control.registerClient({ kind: 'custom', tenantIds: [tenantId] });
  const secrets = createSecretBox(s.stack.env.ENCRYPTION_KEY);
  await s.db.insert(organisations).values({ id: orgId });
  await s.db.insert(orgSettings).values({
    orgId,
    clientId: client.clientId,
    clientSecretEnc: secrets.encrypt(client.clientSecret, `client_secret:${orgId}`),
    bankAccountCode: '090',
    invoiceStatus: 'AUTHORISED',
    deferredRevenueAccountCode: '835',
    ...settings,
  });
  const mappings = Object.entries(taxTypes).map(([platformCode, xeroCode]) => ({ orgId, kind: 'tax_type' as const, platformCode, xeroCode }));
  if (mappings.length > 0) await s.db.insert(orgMappings).values(mappings);
  expect((await integrationApi(s.stack, orgId).connect({ type: 'custom' })).status).toBe(200);
  return { orgId, tenantId };
}

export interface MembershipInvoice {
  invoiceId: string;
  date: string;
  servicePeriod: { start: string; end: string } | null;
  unitAmount: string;
  taxCode?: string;
  currencyCode?: string;
  description?: string;
}

/** A member and their invoice pushed through the API; resolves with the Xero invoice once it is synced. */
export async function pushMembership(s: FromXeroStack, orgId: string, tenantId: string, invoice: MembershipInvoice) {
  const api = apiClient(s.stack, orgId);
  const contactId = `m-${invoice.invoiceId}`;
  expect((await api.putContact(contactId, { name: `Member ${invoice.invoiceId} ${orgId.slice(4, 10)}` })).status).toBe(200);
  const put = await api.putInvoice(invoice.invoiceId, {
    contactId,
    number: `INV-${invoice.invoiceId}`,
    date: invoice.date,
    dueDate: invoice.date,
    ...(invoice.currencyCode ? { currencyCode: invoice.currencyCode } : {}),
    lines: [
      {
        description: invoice.description ?? 'Annual membership',
        quantity: 1,
        unitAmount: invoice.unitAmount,
        ...(invoice.taxCode ? { taxCode: invoice.taxCode } : {}),
        servicePeriod: invoice.servicePeriod,
      },
    ],
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  const sync = await eventually(async () => {
    const [row] = await s.db
      .select()
      .from(syncState)
      .where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, 'invoice'), eq(syncState.recordId, invoice.invoiceId)));
    return row?.state === 'synced' ? row : undefined;
  });
  return xeroInvoice(s, tenantId, sync.xeroId!);
}

export function xeroInvoice(s: FromXeroStack, tenantId: string, xeroInvoiceId: string) {
  return (s.sandbox.control.records(tenantId).invoices as Array<Record<string, any>>).find((i) => i.InvoiceID === xeroInvoiceId)!;
}

/** Xero's manual journals of ours, in the order Xero took them. */
export function journalsInXero(s: FromXeroStack, tenantId: string): Array<Record<string, any>> {
  return (s.sandbox.control.records(tenantId).manualJournals as Array<Record<string, any>>).filter((j) => String(j.Narration).startsWith(NARRATION_PREFIX));
}

export async function journalRows(s: FromXeroStack, orgId: string) {
  return s.db.select().from(revenueJournals).where(eq(revenueJournals.orgId, orgId)).orderBy(asc(revenueJournals.period));
}

/**
 * Runs the organisation's schedule as it would have run on the 1st of `month` (a backfill over the days around
 * it, which holds exactly one scheduled time whatever the schedule's zone), and waits until `settles` (the
 * month before, by default) has its journal posted or found empty.
 */
export async function runScheduleFor(s: FromXeroStack, orgId: string, firstOfMonth: string, settles?: string) {
  const at = Date.parse(`${firstOfMonth}T00:00:00Z`);
  await s.stack.temporal.schedule
    .getHandle(revenueScheduleId(orgId))
    .backfill({ start: new Date(at - 2 * 86_400_000), end: new Date(at + 2 * 86_400_000), overlap: ScheduleOverlapPolicy.BUFFER_ALL });
  const period = settles ?? previousMonth(firstOfMonth);
  return eventually(async () => {
    const row = (await journalRows(s, orgId)).find((r) => r.period === period);
    return row && (row.state === 'posted' || row.state === 'empty') ? row : undefined;
  }, { timeoutMs: 30_000 });
}

function previousMonth(firstOfMonth: string): string {
  const [y, m] = firstOfMonth.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Cents of a Xero amount (a JSON number with at most 2 decimals). */
export const cents = (amount: number) => Math.round(amount * 100);

/** What a journal moved on one account, in cents (debits positive). */
export function onAccount(journal: Record<string, any>, accountCode: string): number {
  return (journal.JournalLines as Array<{ AccountCode: string; LineAmount: number }>).filter((l) => l.AccountCode === accountCode).reduce((n, l) => n + cents(l.LineAmount), 0);
}

/**
 * The push engine end to end: the API accepts records, the organisation's workflow pushes them to the
 * Xero sandbox over HTTP in paced batches, and the database ends up with Xero's ids, states and errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Sandbox } from '../../sandbox/index.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { outboundEvents, syncLog, syncState } from '../../db/schema/index.ts';
import { orgWorkflowId } from '../../workflows/ids.ts';
import { statusQuery } from '../../workflows/messages.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually, startTestStack, type TestStack } from '../support/stack.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';

let sandbox: Sandbox;
let stack: TestStack;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  stack = await startTestStack({ xeroUrl: sandbox.url });
});
afterAll(async () => {
  await stack?.close();
  await sandbox?.close();
});

type SyncView = { state: string; xeroId: string | null; lastError: string | null; lastErrorHint: string | null; attempts: number };

async function settled(api: ReturnType<typeof apiClient>, kind: 'contacts' | 'invoices' | 'payments' | 'expenses', id: string) {
  return eventually(async () => {
    const { body } = await api.get(kind, id);
    const sync = body.sync as SyncView | null;
    return sync && sync.state !== 'pending' ? { ...body, sync } : undefined;
  });
}

const invoice = (contactId: string, number: string, lines: unknown[] = [{ description: 'Annual membership', quantity: 1, unitAmount: '150.00', serviceCode: 'MEMBERSHIP' }]) => ({
  contactId,
  number,
  date: '2026-11-01',
  dueDate: '2026-11-30',
  lines,
});

describe('contacts', () => {
  it('creates members as Xero contacts carrying our id as ContactNumber', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
    const api = apiClient(stack, orgId);
    await api.putContacts([
      { id: 'm-1', name: 'Ada Lovelace', email: 'ada@example.org' },
      { id: 'm-2', name: 'Alan Turing', email: 'alan@example.org', phone: '+64 21 000 000' },
    ]);
    const ada = await settled(api, 'contacts', 'm-1');
    const alan = await settled(api, 'contacts', 'm-2');
    expect(ada.sync).toMatchObject({ state: 'synced', lastError: null, attempts: 1 });
    expect(alan.sync.state).toBe('synced');

    const inXero = sandbox.control.records(tenantId).contacts as Array<Record<string, unknown>>;
    expect(inXero.find((c) => c.ContactID === ada.sync.xeroId)).toMatchObject({ Name: 'Ada Lovelace', ContactNumber: 'm-1', EmailAddress: 'ada@example.org' });
    expect(sandbox.control.counters().organisations[tenantId]!.duplicates).toMatchObject({ contactNames: [], contactNumbers: [] });
  });

  it('adopts an existing Xero contact by email, then by exact name, instead of creating a duplicate', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
    const byEmail = sandbox.control.createContact(tenantId, { Name: 'G. Hopper', EmailAddress: 'grace@example.org' }) as { ContactID: string };
    const byName = sandbox.control.createContact(tenantId, { Name: 'Katherine Johnson' }) as { ContactID: string };
    const api = apiClient(stack, orgId);
    await api.putContacts([
      { id: 'grace', name: 'Grace Hopper', email: 'GRACE@example.org' },
      { id: 'kj', name: 'Katherine Johnson', email: 'kj@example.org' },
    ]);
    expect((await settled(api, 'contacts', 'grace')).sync).toMatchObject({ state: 'synced', xeroId: byEmail.ContactID });
    expect((await settled(api, 'contacts', 'kj')).sync).toMatchObject({ state: 'synced', xeroId: byName.ContactID });
    const contacts = sandbox.control.records(tenantId).contacts as Array<Record<string, unknown>>;
    expect(contacts).toHaveLength(2);
    // Adopted contacts now carry our id, so they are found by ContactNumber from now on.
    expect(contacts.map((c) => c.ContactNumber).sort()).toEqual(['grace', 'kj']);
  });

  it("turns Xero's duplicate-name error into a clear error when matching by name is off", async () => {
    // Matching by email only: a Xero contact with the member's name (not ours, another email) must not be adopted.
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox, { settings: { contactMatching: 'email' } });
    const stranger = sandbox.control.createContact(tenantId, { Name: 'Same Name', EmailAddress: 'someone.else@example.org' }) as { ContactID: string };
    const api = apiClient(stack, orgId);
    await api.putContact('b', { name: 'Same Name', email: 'b@example.org' });
    const b = await settled(api, 'contacts', 'b');
    expect(b.sync.state).toBe('failed');
    expect(b.sync.xeroId).toBeNull();
    expect(b.sync.lastError).toBe('The contact name Same Name is already assigned to another contact. The contact name must be unique across all active contacts.');
    expect(b.sync.lastErrorHint).toMatch(/rename one of them/);
    // Only the stranger, untouched: not adopted, not renumbered, no second contact.
    expect(sandbox.control.records(tenantId).contacts).toEqual([expect.objectContaining({ ContactID: stranger.ContactID, EmailAddress: 'someone.else@example.org' })]);
    expect((sandbox.control.records(tenantId).contacts as Array<Record<string, unknown>>)[0]!.ContactNumber).toBeFalsy();
  });
});

describe('invoices', () => {
  it('pushes ACCREC invoices with mapped accounts, tax types, status, amount type and currency', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox, {
      organisation: { name: 'Mapped Ltd', currencies: ['AUD'] },
      serviceAccounts: { MEMBERSHIP: '260' },
      taxTypes: { GST: 'OUTPUT2' },
      settings: { invoiceStatus: 'AUTHORISED', amountType: 'INCLUSIVE' },
    });
    const api = apiClient(stack, orgId);
    await api.putContact('m', { name: 'Mary Jackson', email: 'mary@example.org' });
    const res = await api.putInvoice('inv-1', {
      ...invoice('m', 'MEM-1001', [
        { description: 'Membership', quantity: 1, unitAmount: '115.00', serviceCode: 'MEMBERSHIP', taxCode: 'GST', servicePeriod: { start: '2026-11-01', end: '2027-10-31' } },
        { description: 'Event ticket', quantity: 2, unitAmount: '23.00', serviceCode: 'EVENTS', taxCode: 'GST' },
      ]),
      currencyCode: 'AUD',
    });
    expect(res.status).toBe(200);
    const pushed = await settled(api, 'invoices', 'inv-1');
    expect(pushed.sync.state).toBe('synced');
    const inXero = (sandbox.control.records(tenantId).invoices as Array<Record<string, any>>).find((i) => i.InvoiceID === pushed.sync.xeroId)!;
    expect(inXero).toMatchObject({ Type: 'ACCREC', InvoiceNumber: 'MEM-1001', Status: 'AUTHORISED', LineAmountTypes: 'Inclusive', CurrencyCode: 'AUD', Total: 161 });
    expect(inXero.LineItems.map((l: Record<string, unknown>) => [l.AccountCode, l.TaxType])).toEqual([['260', 'OUTPUT2'], ['200', 'OUTPUT2']]);
    expect(inXero.LineItems[0].Description).toBe('Membership (2026-11-01 to 2027-10-31)');
    // What Xero computed is recorded locally.
    expect(pushed).toMatchObject({ total: '161.00', amountDue: '161.00', xeroStatus: 'AUTHORISED' });
  });

  it('fails one bad invoice alone, with Xero\'s message and a hint; the rest of the batch syncs', async () => {
    const { orgId } = await connectSandboxOrg(stack, sandbox, { serviceAccounts: { OLD: '280' } });
    const api = apiClient(stack, orgId);
    await api.putContact('m', { name: 'Dorothy Vaughan' });
    await api.putInvoices([
      { id: 'good-1', ...invoice('m', 'G-1') },
      { id: 'bad', ...invoice('m', 'B-1', [{ description: 'Old fee', quantity: 1, unitAmount: 10, serviceCode: 'OLD' }]) },
      { id: 'good-2', ...invoice('m', 'G-2') },
    ]);
    expect((await settled(api, 'invoices', 'good-1')).sync.state).toBe('synced');
    expect((await settled(api, 'invoices', 'good-2')).sync.state).toBe('synced');
    const bad = await settled(api, 'invoices', 'bad');
    expect(bad.sync).toMatchObject({ state: 'failed', xeroId: null });
    expect(bad.sync.lastError).toBe("Account code '280' is not a valid code for this document.");
    expect(bad.sync.lastErrorHint).toMatch(/Map the service to a valid, active Xero account/);
    const [log] = await stack.database.db.select().from(syncLog).where(and(eq(syncLog.orgId, orgId), eq(syncLog.recordId, 'bad')));
    expect(log).toMatchObject({ outcome: 'failed', xeroMessage: "Account code '280' is not a valid code for this document." });
    // The main app is told, once, about the failed invoice only.
    const events = await stack.database.db.select().from(outboundEvents).where(and(eq(outboundEvents.orgId, orgId), eq(outboundEvents.type, 'sync.failed')));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      recordKey: 'invoice:bad',
      payload: { recordType: 'invoice', recordId: 'bad', error: "Account code '280' is not a valid code for this document.", hint: expect.stringMatching(/Map the service/) },
    });
  });

  it('fails an invoice with an unmapped platform tax code before calling Xero, naming the code', async () => {
    const { orgId } = await connectSandboxOrg(stack, sandbox);
    const api = apiClient(stack, orgId);
    await api.putContact('m', { name: 'Evelyn Boyd' });
    await api.putInvoice('t', invoice('m', 'T-1', [{ description: 'Fee', quantity: 1, unitAmount: 10, taxCode: 'VAT20' }]));
    const t = await settled(api, 'invoices', 't');
    expect(t.sync).toMatchObject({ state: 'failed', lastError: 'No Xero tax type is mapped for platform tax code VAT20.' });
    expect(t.sync.lastErrorHint).toMatch(/Map tax code VAT20/);
  });

  it('with auto-sync off, waits as skipped until POST .../sync', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox, { settings: { autoSyncInvoices: false } });
    const api = apiClient(stack, orgId);
    await api.putContact('m', { name: 'Annie Easley' });
    const put = await api.putInvoice('manual', invoice('m', 'MAN-1'));
    expect((put.body.sync as SyncView).state).toBe('skipped');
    await settled(api, 'contacts', 'm');
    expect(sandbox.control.records(tenantId).invoices).toHaveLength(0);
    const sync = await api.call('POST', `/api/orgs/${orgId}/invoices/manual/sync`);
    expect(sync.status).toBe(202);
    expect((await settled(api, 'invoices', 'manual')).sync.state).toBe('synced');
  });
});

describe('payments and expenses', () => {
  it('pushes a receipt as a Xero payment to the bank account; a receipt above the amount due fails clearly', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
    const api = apiClient(stack, orgId);
    await api.putContact('m', { name: 'Mae Jemison' });
    await api.putInvoice('i', invoice('m', 'P-1'));
    await settled(api, 'invoices', 'i');
    expect((await api.postPayment({ id: 'r-1', invoiceId: 'i', amount: '50.00', date: '2026-11-05', reference: 'Card 4242' })).status).toBe(201);
    const paid = await settled(api, 'payments', 'r-1');
    expect(paid.sync.state).toBe('synced');
    const xeroPayment = (sandbox.control.records(tenantId).payments as Array<Record<string, any>>).find((p) => p.PaymentID === paid.sync.xeroId)!;
    expect(xeroPayment).toMatchObject({ Amount: 50, Reference: 'Card 4242', Account: { Code: '090' } });

    await api.postPayment({ id: 'r-2', invoiceId: 'i', amount: '500.00', date: '2026-11-06' });
    const over = await settled(api, 'payments', 'r-2');
    expect(over.sync).toMatchObject({ state: 'failed', lastError: 'Payment amount exceeds the amount outstanding on this document' });
    expect(sandbox.control.records(tenantId).payments).toHaveLength(1);
  });

  it('fails a receipt without a bank account mapping before calling Xero', async () => {
    const { orgId } = await connectSandboxOrg(stack, sandbox, { settings: { bankAccountCode: null } });
    const api = apiClient(stack, orgId);
    await api.putContact('m', { name: 'Valerie Thomas' });
    await api.putInvoice('i', invoice('m', 'NB-1'));
    await settled(api, 'invoices', 'i');
    await api.postPayment({ id: 'r', invoiceId: 'i', amount: 10, date: '2026-11-05' });
    const r = await settled(api, 'payments', 'r');
    expect(r.sync).toMatchObject({ state: 'failed', lastError: 'No bank account is set for payments.' });
    expect(r.sync.lastErrorHint).toMatch(/Choose the bank account/);
  });

  it('fails a receipt against a draft invoice with Xero\'s message, and does not retry it', async () => {
    const { orgId } = await connectSandboxOrg(stack, sandbox, { settings: { invoiceStatus: 'DRAFT' } });
    const api = apiClient(stack, orgId);
    await api.putContact('m', { name: 'Shirley Ann Jackson' });
    await api.putInvoice('i', invoice('m', 'D-1'));
    await settled(api, 'invoices', 'i');
    await api.postPayment({ id: 'r', invoiceId: 'i', amount: 10, date: '2026-11-05' });
    const r = await settled(api, 'payments', 'r');
    expect(r.sync).toMatchObject({ state: 'failed', attempts: 1, lastError: 'Payments can only be made against Authorised documents' });
  });

  it('pushes an expense as an ACCPAY bill from its supplier, with the mapped expense account', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox, { serviceAccounts: { PRINT: '461' } });
    const api = apiClient(stack, orgId);
    await api.putExpense('e-1', { supplierName: 'Print Co', date: '2026-11-02', reference: 'PC-77', lines: [{ description: 'Newsletters', quantity: 100, unitAmount: '1.20', serviceCode: 'PRINT' }] });
    const e = await settled(api, 'expenses', 'e-1');
    expect(e.sync.state).toBe('synced');
    const bill = (sandbox.control.records(tenantId).invoices as Array<Record<string, any>>).find((i) => i.InvoiceID === e.sync.xeroId)!;
    expect(bill).toMatchObject({ Type: 'ACCPAY', InvoiceNumber: 'PC-77', Contact: { Name: 'Print Co' } });
    expect(bill.LineItems[0]).toMatchObject({ AccountCode: '461', Quantity: 100, UnitAmount: 1.2 });
  });
});

describe('invoices changed after Xero stopped allowing it', () => {
  it('fails the update of an invoice paid in Xero with Xero\'s message and what to do, leaving Xero as it was', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
    const api = apiClient(stack, orgId);
    await api.putContact('m', { name: 'Annie Easley' });
    await api.putInvoice('paid', invoice('m', 'P-1'));
    const pushed = await settled(api, 'invoices', 'paid');
    expect(pushed.sync.state).toBe('synced');
    sandbox.control.payInvoice(tenantId, pushed.sync.xeroId!);

    await api.putInvoice('paid', invoice('m', 'P-1', [{ description: 'Annual membership (corrected)', quantity: 1, unitAmount: '120.00' }]));
    const refused = await eventually(async () => {
      const { body } = await api.get('invoices', 'paid');
      const sync = body.sync as SyncView;
      return sync.state === 'failed' ? sync : undefined;
    });
    expect(refused.lastError).toMatch(/not of valid status for modification/i);
    expect(refused.lastErrorHint).toMatch(/does not allow this change in the invoice's current status/);
    const inXero = (sandbox.control.records(tenantId).invoices as Array<Record<string, any>>).find((i) => i.InvoiceID === pushed.sync.xeroId);
    expect(inXero).toMatchObject({ Status: 'PAID' });
    expect(inXero!.LineItems[0].Description).toBe('Annual membership');
  });
});

describe('the organisation workflow', () => {
  it('reports its status and pushes a change made after the first push', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
    const api = apiClient(stack, orgId);
    await api.putContact('m', { name: 'Before Rename' });
    await settled(api, 'contacts', 'm');
    await api.putContact('m', { name: 'After Rename' });
    await eventually(async () => {
      const [row] = await stack.database.db.select().from(syncState).where(and(eq(syncState.orgId, orgId), eq(syncState.recordId, 'm')));
      return row?.state === 'synced' && row.version === 2 && row.pushedVersion === 2;
    });
    expect((sandbox.control.records(tenantId).contacts as Array<Record<string, unknown>>).map((c) => c.Name)).toEqual(['After Rename']);
    const handle = stack.temporal.workflow.getHandle(orgWorkflowId(orgId));
    const status = await eventually(async () => {
      const s = await handle.query(statusQuery);
      return s.phase === 'idle' ? s : undefined;
    });
    expect(status).toMatchObject({ orgId, lastDrain: { failed: 0 } });
    expect(status.budget.minuteLeft).toBeLessThan(60);
  });

  it('pushes again a record changed while its push was in flight: Xero ends with the newer content', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
    const api = apiClient(stack, orgId);
    const row = async () => (await stack.database.db.select().from(syncState).where(and(eq(syncState.orgId, orgId), eq(syncState.recordId, 'm'))))[0];
    // Xero answers slowly, so the change lands while the first push is at Xero.
    sandbox.control.setFaults({ latencyMs: 1_500, methods: ['POST', 'PUT'] });
    try {
      await api.putContact('m', { name: 'Sent First' });
      await eventually(async () => ((await row())?.claimId ? true : undefined));
      await api.putContact('m', { name: 'Changed Meanwhile' });
    } finally {
      sandbox.control.setFaults({ latencyMs: 0, methods: [] });
    }
    const settledRow = await eventually(async () => {
      const r = await row();
      return r?.state === 'synced' && r.version === 2 ? r : undefined;
    });
    // Two pushes: the one in flight (its answer left the record pending) and the one for the change.
    expect(settledRow).toMatchObject({ pushedVersion: 2, attempts: 2 });
    expect((sandbox.control.records(tenantId).contacts as Array<Record<string, unknown>>).map((c) => c.Name)).toEqual(['Changed Meanwhile']);
  });
});

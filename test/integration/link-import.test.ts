/**
 * "Migrate: assigns the old data to an organisation to prevent data loss": an organisation whose contacts
 * and invoices were synced to Xero before, by something else, imports the links (platform record id →
 * Xero id). Verified against Xero, applied all or nothing; linked records are then updated, never created.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Sandbox } from '../../sandbox/index.ts';
import { syncState, xeroLinkImports, xeroPrelinks } from '../../db/schema/index.ts';
import { apiClient } from '../support/api-client.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { eventually, newOrgId, startTestStack, type TestStack } from '../support/stack.ts';
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

type Link = { type: 'contact' | 'invoice'; record_id: string; xero_id: string };
type ImportView = { id: string; status: string; rows: number; linked_records: number | null; pending_records: number | null; problems: Array<Record<string, unknown>>; status_url?: string };

const linksApi = (orgId: string, role: 'client_admin' | 'platform_admin' = 'client_admin') => {
  const api = apiClient(stack, orgId, role);
  const base = role === 'platform_admin' ? `/api/admin/integrations/xero/${orgId}/links` : `/api/orgs/${orgId}/integrations/xero/links`;
  return {
    post: (links: unknown) => api.call<ImportView & Record<string, any>>('POST', base, { links }),
    get: (id: string) => api.call<ImportView>('GET', `${base}/${id}`),
    finished: (id: string) =>
      eventually(async () => {
        const { body } = await api.call<ImportView>('GET', `${base}/${id}`);
        return body.status !== 'verifying' ? body : undefined;
      }, { timeoutMs: 30_000 }),
  };
};

/** Xero as something else left it: contacts and an invoice made by hand, without our ids. */
function booksSyncedBefore(tenantId: string) {
  const contact = (name: string, email: string) => (sandbox.control.createContact(tenantId, { Name: name, EmailAddress: email }) as { ContactID: string }).ContactID;
  const ada = contact('A. Lovelace (old system)', 'ada.old@example.org');
  const alan = contact('A. Turing (old system)', 'alan.old@example.org');
  const invoice = sandbox.control.createInvoice(tenantId, {
    Type: 'ACCREC',
    Contact: { ContactID: ada },
    InvoiceNumber: 'OLD-0001',
    Date: '2026-10-01',
    DueDate: '2026-10-31',
    LineItems: [{ Description: 'Membership (old system)', Quantity: 1, UnitAmount: 90, AccountCode: '200' }],
  }) as { InvoiceID: string };
  const bill = sandbox.control.createInvoice(tenantId, {
    Type: 'ACCPAY',
    Contact: { ContactID: alan },
    Date: '2026-10-01',
    DueDate: '2026-10-31',
    LineItems: [{ Description: 'Hall hire', Quantity: 1, UnitAmount: 50, AccountCode: '400' }],
  }) as { InvoiceID: string };
  return { ada, alan, invoice: invoice.InvoiceID, bill: bill.InvoiceID };
}

const syncRow = async (orgId: string, recordId: string) =>
  (await stack.database.db.select().from(syncState).where(and(eq(syncState.orgId, orgId), eq(syncState.recordId, recordId))))[0];

describe('importing links', () => {
  it('links records the platform has: verified, applied, then pushed as updates, never created again', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
    const xero = booksSyncedBefore(tenantId);
    const main = apiClient(stack, orgId);
    // The records reach the platform while nothing pushes yet (as after an upgrade).
    await stack.stopWorker();
    try {
      await main.putContacts([
        { id: 'ada', name: 'Ada Lovelace', email: 'ada@example.org' },
        { id: 'alan', name: 'Alan Turing', email: 'alan@example.org' },
      ]);
      await main.putInvoice('inv-ada', { contactId: 'ada', number: 'MEM-0001', date: '2026-10-01', dueDate: '2026-10-31', lines: [{ description: 'Annual membership', quantity: 1, unitAmount: '90.00' }] });
      const posted = await linksApi(orgId).post([
        { type: 'contact', record_id: 'ada', xero_id: xero.ada.toUpperCase() },
        { type: 'contact', record_id: 'alan', xero_id: xero.alan },
        { type: 'invoice', record_id: 'inv-ada', xero_id: xero.invoice },
      ] satisfies Link[]);
      expect(posted.status).toBe(202);
      expect(posted.body).toMatchObject({ status: 'verifying', rows: 3, status_url: `/api/orgs/${orgId}/integrations/xero/links/${posted.body.id}` });
    } finally {
      await stack.startWorker();
    }
    const imports = await stack.database.db.select().from(xeroLinkImports).where(eq(xeroLinkImports.orgId, orgId));
    const done = await linksApi(orgId).finished(imports[0]!.id);
    expect(done).toMatchObject({ status: 'applied', linked_records: 3, pending_records: 0, problems: [] });

    for (const [id, xeroId] of [['ada', xero.ada], ['alan', xero.alan], ['inv-ada', xero.invoice]] as const) {
      await eventually(async () => ((await syncRow(orgId, id))?.state === 'synced' ? true : undefined));
      expect((await syncRow(orgId, id))!.xeroId).toBe(xeroId);
    }
    const books = sandbox.control.records(tenantId);
    expect(books.contacts).toHaveLength(2);
    expect((books.contacts as Array<Record<string, unknown>>).find((c) => c.ContactID === xero.ada)).toMatchObject({ Name: 'Ada Lovelace', ContactNumber: 'ada', EmailAddress: 'ada@example.org' });
    const invoices = (books.invoices as Array<Record<string, any>>).filter((i) => i.Type === 'ACCREC');
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ InvoiceID: xero.invoice, InvoiceNumber: 'MEM-0001' });
    expect(sandbox.control.counters().organisations[tenantId]!.duplicates).toMatchObject({ contactNames: [], contactNumbers: [] });
  });

  it("keeps links for records the platform has not sent yet: their first push updates the linked Xero record", async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
    const xero = booksSyncedBefore(tenantId);
    const posted = await linksApi(orgId, 'platform_admin').post([{ type: 'contact', record_id: 'later', xero_id: xero.alan }] satisfies Link[]);
    expect(posted.status).toBe(202);
    expect(posted.body.status_url).toBe(`/api/admin/integrations/xero/${orgId}/links/${posted.body.id}`);
    expect(await linksApi(orgId, 'platform_admin').finished(posted.body.id)).toMatchObject({ status: 'applied', linked_records: 0, pending_records: 1 });

    await apiClient(stack, orgId).putContact('later', { name: 'Alan Turing', email: 'alan@example.org' });
    await eventually(async () => ((await syncRow(orgId, 'later'))?.state === 'synced' ? true : undefined));
    expect((await syncRow(orgId, 'later'))!.xeroId).toBe(xero.alan);
    expect(sandbox.control.records(tenantId).contacts).toHaveLength(2);
    expect(await stack.database.db.select().from(xeroPrelinks).where(eq(xeroPrelinks.orgId, orgId))).toEqual([]);
  });

  it('reports each Xero id Xero does not know against its row, and applies nothing', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
    const xero = booksSyncedBefore(tenantId);
    const unknown = randomUUID();
    const posted = await linksApi(orgId).post([
      { type: 'contact', record_id: 'ada', xero_id: xero.ada },
      { type: 'contact', record_id: 'ghost', xero_id: unknown },
      { type: 'invoice', record_id: 'hall', xero_id: xero.bill },
    ] satisfies Link[]);
    expect(posted.status).toBe(202);
    const done = await linksApi(orgId).finished(posted.body.id);
    expect(done).toMatchObject({ status: 'rejected', linked_records: null, pending_records: null });
    expect(done.problems).toEqual([
      { row: 1, record_id: 'ghost', xero_id: unknown, problem: 'no contact with this id in the connected Xero organisation' },
      { row: 2, record_id: 'hall', xero_id: xero.bill, problem: 'this Xero document is a bill (ACCPAY), not a sales invoice' },
    ]);
    // Nothing half-applied: not even the good row.
    expect(await stack.database.db.select().from(xeroPrelinks).where(eq(xeroPrelinks.orgId, orgId))).toEqual([]);
  });

  it('refuses at once, row by row, what can be told without Xero: nothing is stored', async () => {
    const { orgId, tenantId } = await connectSandboxOrg(stack, sandbox);
    const xero = booksSyncedBefore(tenantId);
    const main = apiClient(stack, orgId);
    await main.putContact('mine', { name: 'Already Mine', email: 'mine@example.org' });
    const mine = await eventually(async () => ((await syncRow(orgId, 'mine'))?.state === 'synced' ? syncRow(orgId, 'mine') : undefined));

    const refused = await linksApi(orgId).post([
      { type: 'member', record_id: 'x', xero_id: xero.ada },
      { type: 'contact', record_id: 'ada', xero_id: 'not-a-guid' },
      { type: 'contact', record_id: 'alan', xero_id: xero.alan },
      { type: 'contact', record_id: 'alan', xero_id: xero.ada },
      { type: 'contact', record_id: 'mine', xero_id: xero.ada },
      { type: 'contact', record_id: 'someone', xero_id: mine!.xeroId },
    ]);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'links_rejected', detail: expect.stringContaining('5 of 6 link(s) cannot be applied') });
    expect((refused.body.problems as Array<{ row: number }>).map((p) => p.row)).toEqual([0, 1, 3, 4, 5]);
    expect(refused.body.problems[0]).toMatchObject({ row: 0, record_id: 'x', problem: expect.stringContaining('type: expected contact or invoice') });
    expect(refused.body.problems[1]).toMatchObject({ row: 1, xero_id: 'not-a-guid', problem: expect.stringContaining('expected a Xero id') });
    expect(refused.body.problems[2]).toMatchObject({ row: 3, record_id: 'alan', problem: 'the same contact is linked in row 2 too' });
    expect(refused.body.problems[3]).toMatchObject({ row: 4, problem: `the record is already linked to Xero id ${mine!.xeroId}` });
    expect(refused.body.problems[4]).toMatchObject({ row: 5, problem: 'the Xero record is already linked to contact mine' });
    expect(await stack.database.db.select().from(xeroLinkImports).where(eq(xeroLinkImports.orgId, orgId))).toEqual([]);

    const tooMany = await linksApi(orgId).post(Array.from({ length: 10_001 }, (_, i) => ({ type: 'contact', record_id: `m${i}`, xero_id: randomUUID() })));
    expect(tooMany.status).toBe(422);
    expect(tooMany.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.links', message: 'at most 10,000 links per request' }] });
  });

  it('needs a connected Xero organisation, and keeps organisations apart', async () => {
    const notConnected = newOrgId();
    await apiClient(stack, notConnected).putContact('c', { name: 'Nobody Yet' });
    const refused = await linksApi(notConnected).post([{ type: 'contact', record_id: 'c', xero_id: randomUUID() }]);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'not_connected' });

    const { orgId } = await connectSandboxOrg(stack, sandbox);
    const posted = await linksApi(orgId).post([{ type: 'contact', record_id: 'c', xero_id: randomUUID() }]);
    expect(posted.status).toBe(202);
    // Another organisation's admin cannot see it, nor post for this organisation.
    const other = apiClient(stack, notConnected, 'client_admin');
    expect((await other.call('GET', `/api/orgs/${orgId}/integrations/xero/links/${posted.body.id}`)).status).toBe(404);
    expect((await other.call('GET', `/api/orgs/${notConnected}/integrations/xero/links/${posted.body.id}`)).status).toBe(404);
    // The main app's service token may not import links: a person's decision.
    expect((await apiClient(stack, orgId, 'service').call('POST', `/api/orgs/${orgId}/integrations/xero/links`, { links: [] })).status).toBe(403);
    await linksApi(orgId).finished(posted.body.id);
  });
});

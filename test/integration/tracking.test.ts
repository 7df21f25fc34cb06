/**
 * Tracking categories: platform dimensions (chapter, region...) mapped to the organisation's Xero tracking
 * categories, the mapping checked against Xero when saved, each line's options checked before any push
 * (Xero silently drops an option it does not know, so an unknown one must fail here, loudly), and tracked
 * invoices and credit notes in Xero with the right options.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/index.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually, startTestStack, type TestStack } from '../support/stack.ts';
import { integrationApi } from '../support/xero-consent.ts';
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

type SyncView = { state: string; xeroId: string | null; lastError: string | null; lastErrorHint: string | null };
const calls = (tenantId: string, endpoint: string) => sandbox.control.counters().calls[tenantId]?.[endpoint] ?? 0;
const required = { serviceAccounts: {}, taxTypes: {} };

async function settledRecord(api: ReturnType<typeof apiClient>, kind: 'invoices' | 'credit-notes', id: string) {
  return eventually(async () => {
    const { body } = await api.get(kind, id);
    const sync = body.sync as SyncView | null;
    return sync && sync.state !== 'pending' ? ({ ...body, sync } as Record<string, any> & { sync: SyncView }) : undefined;
  });
}

const invoice = (number: string, tracking: Record<string, string>) => ({
  contactId: 'm',
  number,
  date: '2026-11-01',
  dueDate: '2026-11-30',
  lines: [{ description: 'Chapter dinner', quantity: 1, unitAmount: '80.00', tracking }],
});

/** An organisation with chapter → Chapter and region → Region mapped through the API, and a member in Xero. */
async function trackedOrg() {
  const org = await connectSandboxOrg(stack, sandbox);
  const saved = await integrationApi(stack, org.orgId).putMappings({ ...required, trackingCategories: { chapter: 'Chapter', region: 'Region' } });
  expect(saved.status).toBe(200);
  expect(saved.body).toMatchObject({ trackingCategories: { chapter: 'Chapter', region: 'Region' }, checkedAgainstXero: true });
  const api = apiClient(stack, org.orgId);
  await api.putContact('m', { name: `Tracked member ${org.orgId.slice(4, 10)}` });
  return { ...org, api };
}

describe('the tracking mapping', () => {
  it('is checked against the organisation\'s active tracking categories when saved', async () => {
    const { orgId } = await connectSandboxOrg(stack, sandbox);
    const mappings = integrationApi(stack, orgId);
    const typo = await mappings.putMappings({ ...required, trackingCategories: { chapter: 'Chapters' } });
    expect(typo.status).toBe(422);
    expect(typo.body).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'body.trackingCategories.chapter', message: "'Chapters' is not an active tracking category in the connected Xero organisation. Active categories: Region, Chapter" }],
    });
    const archived = await mappings.putMappings({ ...required, trackingCategories: { campaign: 'Campaign 2025' } });
    expect(archived.body).toMatchObject({ errors: [{ path: 'body.trackingCategories.campaign' }] });
    const twice = await mappings.putMappings({ ...required, trackingCategories: { chapter: 'Chapter', branch: 'chapter' } });
    expect(twice.body).toMatchObject({ errors: [{ path: 'body.trackingCategories.branch', message: expect.stringMatching(/already mapped from 'chapter'/) }] });
    const three = await mappings.putMappings({ ...required, trackingCategories: { a: 'Region', b: 'Chapter', c: 'Region' } });
    expect(three.body).toMatchObject({ errors: [{ path: 'body.trackingCategories', message: 'at most two: Xero has at most two active tracking categories' }] });
    // Nothing was stored by the refused PUTs; a mapping left out of a PUT keeps its value.
    expect((await mappings.mappings()).body).toMatchObject({ trackingCategories: {} });
    expect((await mappings.putMappings({ ...required, trackingCategories: { chapter: 'Chapter' } })).status).toBe(200);
    expect((await mappings.putMappings({ serviceAccounts: { EVENT: '260' }, taxTypes: {} })).body).toMatchObject({ trackingCategories: { chapter: 'Chapter' }, serviceAccounts: { EVENT: '260' } });
  });
});

describe('tracked lines', () => {
  it('reach Xero with the right categories and options, as Xero spells them, without reading the categories again', async () => {
    const { tenantId, api } = await trackedOrg();
    const reads = calls(tenantId, 'GET /TrackingCategories');
    await api.putInvoice('inv-t', invoice('TR-1', { chapter: 'Auckland', region: 'north' }));
    await api.putCreditNote('cn-t', { contactId: 'm', number: 'TRC-1', date: '2026-11-02', lines: [{ description: 'Dinner cancelled', quantity: 1, unitAmount: '20.00', tracking: { chapter: 'Wellington' } }] });
    const pushed = await settledRecord(api, 'invoices', 'inv-t');
    expect(pushed.sync.state).toBe('synced');
    const inXero = (sandbox.control.records(tenantId).invoices as Array<Record<string, any>>).find((i) => i.InvoiceID === pushed.sync.xeroId)!;
    expect(inXero.LineItems[0].Tracking.map((t: Record<string, string>) => [t.Name, t.Option]).sort()).toEqual([['Chapter', 'Auckland'], ['Region', 'North']]);
    const credit = await settledRecord(api, 'credit-notes', 'cn-t');
    expect(credit.sync.state).toBe('synced');
    const creditInXero = (sandbox.control.records(tenantId).creditNotes as Array<Record<string, any>>).find((c) => c.CreditNoteID === credit.sync.xeroId)!;
    expect(creditInXero.LineItems[0].Tracking).toEqual([expect.objectContaining({ Name: 'Chapter', Option: 'Wellington' })]);
    // The categories read when the mapping was saved served both pushes.
    expect(calls(tenantId, 'GET /TrackingCategories')).toBe(reads);
  });

  it('fails an unknown option loudly before any push call (after one paced read of the categories), and an unmapped dimension at once', async () => {
    const { tenantId, api } = await trackedOrg();
    const [reads, writes] = [calls(tenantId, 'GET /TrackingCategories'), calls(tenantId, 'POST /Invoices')];
    await api.putInvoice('inv-u', invoice('TR-2', { chapter: 'Dunedin' }));
    const failed = await settledRecord(api, 'invoices', 'inv-u');
    expect(failed.sync).toMatchObject({
      state: 'failed',
      xeroId: null,
      lastError: "Tracking option 'Dunedin' is not an active option of Xero's category 'Chapter'.",
      lastErrorHint: expect.stringMatching(/Add \(or reactivate\) the option 'Dunedin' in Xero .* or send one of: Auckland, Wellington, Christchurch\./),
    });
    expect(calls(tenantId, 'GET /TrackingCategories')).toBe(reads + 1);
    expect(calls(tenantId, 'POST /Invoices')).toBe(writes);

    await api.putInvoice('inv-b', invoice('TR-3', { branch: 'Ponsonby' }));
    expect((await settledRecord(api, 'invoices', 'inv-b')).sync).toMatchObject({
      state: 'failed',
      lastError: "No Xero tracking category is mapped for platform dimension 'branch'.",
      lastErrorHint: expect.stringMatching(/Map dimension 'branch'/),
    });
    expect(calls(tenantId, 'POST /Invoices')).toBe(writes);
    expect(sandbox.control.records(tenantId).invoices).toHaveLength(0);
  });

  it('reads the categories again (paced) when a line names an option added in Xero since, and tracks the line with it', async () => {
    const { tenantId, api } = await trackedOrg();
    sandbox.control.setTrackingCategory(tenantId, { Name: 'Chapter', Options: ['Auckland', 'Wellington', 'Christchurch', 'Dunedin'] });
    const reads = calls(tenantId, 'GET /TrackingCategories');
    await api.putInvoice('inv-new', invoice('TR-4', { chapter: 'Dunedin' }));
    const pushed = await settledRecord(api, 'invoices', 'inv-new');
    expect(pushed.sync.state).toBe('synced');
    expect(calls(tenantId, 'GET /TrackingCategories')).toBe(reads + 1);
    const inXero = (sandbox.control.records(tenantId).invoices as Array<Record<string, any>>).find((i) => i.InvoiceID === pushed.sync.xeroId)!;
    expect(inXero.LineItems[0].Tracking).toEqual([expect.objectContaining({ Name: 'Chapter', Option: 'Dunedin' })]);
  });
});

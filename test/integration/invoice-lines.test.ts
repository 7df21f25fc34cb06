/**
 * What invoice lines and documents carry into Xero besides amounts: line discounts (a rate or an amount,
 * as Xero works them out), Xero items for mapped services (our description, price and account still win),
 * and the organisation's branding theme (or an invoice's own), each checked against Xero before it counts.
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
const xeroInvoice = (tenantId: string, xeroId: string) => (sandbox.control.records(tenantId).invoices as Array<Record<string, any>>).find((i) => i.InvoiceID === xeroId)!;

async function settledInvoice(api: ReturnType<typeof apiClient>, id: string) {
  return eventually(async () => {
    const { body } = await api.get('invoices', id);
    const sync = body.sync as SyncView | null;
    return sync && sync.state !== 'pending' ? ({ ...body, sync } as Record<string, any> & { sync: SyncView }) : undefined;
  });
}

const invoice = (number: string, lines: unknown[], extra: Record<string, unknown> = {}) => ({ contactId: 'm', number, date: '2026-11-01', dueDate: '2026-11-30', lines, ...extra });

async function orgWithMember(options: Parameters<typeof connectSandboxOrg>[2] = {}) {
  const org = await connectSandboxOrg(stack, sandbox, options);
  const api = apiClient(stack, org.orgId);
  await api.putContact('m', { name: `Member ${org.orgId.slice(4, 10)}` });
  return { ...org, api, admin: integrationApi(stack, org.orgId) };
}

describe('line discounts', () => {
  it('sends a rate or an amount as Xero\'s DiscountRate / DiscountAmount, and Xero\'s totals come back', async () => {
    const { tenantId, api } = await orgWithMember();
    const put = await api.putInvoice('inv-d', invoice('DISC-1', [
      { description: 'Early-bird conference pass', quantity: 2, unitAmount: '50.00', discountRate: '10' },
      { description: 'Workshop', quantity: 1, unitAmount: '100.00', discountAmount: '15.00' },
    ]));
    expect(put.status).toBe(200);
    const pushed = await settledInvoice(api, 'inv-d');
    expect(pushed.sync.state).toBe('synced');
    const inXero = xeroInvoice(tenantId, pushed.sync.xeroId!);
    expect(inXero.LineItems.map((l: Record<string, unknown>) => [l.DiscountRate ?? null, l.DiscountAmount ?? null, l.LineAmount])).toEqual([[10, null, 90], [null, 15, 85]]);
    // 90 + 85 = 175, plus 15% GST on the discounted amounts.
    expect(inXero).toMatchObject({ SubTotal: 175, TotalTax: 26.25, Total: 201.25, TotalDiscount: 25 });
    expect(pushed).toMatchObject({ total: '201.25', amountDue: '201.25' });
    expect(pushed.lines).toMatchObject([{ discountRate: '10.0000', discountAmount: null }, { discountRate: null, discountAmount: '15.00' }]);
  });

  it('refuses both on one line, and any discount on a bill, naming the field', async () => {
    const { api } = await orgWithMember();
    const both = await api.putInvoice('inv-x', invoice('DISC-2', [{ description: 'Pass', quantity: 1, unitAmount: '50.00', discountRate: '10', discountAmount: '5.00' }]));
    expect(both.status).toBe(422);
    expect(both.body.errors).toEqual([{ path: 'body.lines.0.discountAmount', message: 'give discountRate or discountAmount, not both: Xero takes one discount per line' }]);
    const tooMuch = await api.putInvoice('inv-y', invoice('DISC-3', [{ description: 'Pass', quantity: 1, unitAmount: '50.00', discountAmount: '60.00' }]));
    expect(tooMuch.body.errors).toEqual([{ path: 'body.lines.0.discountAmount', message: "must not exceed the line's amount (quantity × unitAmount)" }]);
    const bill = await api.putExpense('exp-d', { supplierName: 'Printer', date: '2026-11-01', lines: [{ description: 'Flyers', quantity: 1, unitAmount: '80.00', discountAmount: '8.00' }] });
    expect(bill.status).toBe(422);
    expect(bill.body.errors).toEqual([{ path: 'body.lines.0.discountAmount', message: 'Xero takes no discounts on bills: put the discounted price in unitAmount' }]);
  });
});

describe('Xero items for services', () => {
  it('are checked against the items Xero sells when mapped', async () => {
    const { admin } = await orgWithMember();
    const refused = await admin.putMappings({ serviceAccounts: {}, taxTypes: {}, serviceItems: { NEWSLETTER: 'NEWSLETTER', GALA: 'GALA-DINNER' } });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      { path: 'body.serviceItems.NEWSLETTER', message: expect.stringMatching(/^Item code 'NEWSLETTER' is not an item sold in the connected Xero organisation\. Sold items: MEMBER-FULL \(Full membership\)/) },
      { path: 'body.serviceItems.GALA', message: expect.stringMatching(/^Item code 'GALA-DINNER' is not an item sold/) },
    ]);
    const saved = await admin.putMappings({ serviceAccounts: {}, taxTypes: {}, serviceItems: { MEMBERSHIP: 'MEMBER-FULL' } });
    expect(saved.body).toMatchObject({ serviceItems: { MEMBERSHIP: 'MEMBER-FULL' }, checkedAgainstXero: true });
  });

  it('go on mapped services\' lines as ItemCode, with our description, price and account over the item\'s', async () => {
    const { tenantId, api, admin } = await orgWithMember();
    expect((await admin.putMappings({ serviceAccounts: { MEMBERSHIP: '260' }, taxTypes: {}, serviceItems: { MEMBERSHIP: 'MEMBER-FULL' } })).status).toBe(200);
    await api.putInvoice('inv-i', invoice('ITEM-1', [
      { serviceCode: 'MEMBERSHIP', description: 'Full membership 2027 (renewal)', quantity: 1, unitAmount: '110.00' },
      { serviceCode: 'DONATION', description: 'Donation', quantity: 1, unitAmount: '20.00' },
    ]));
    const pushed = await settledInvoice(api, 'inv-i');
    expect(pushed.sync.state).toBe('synced');
    const [member, donation] = xeroInvoice(tenantId, pushed.sync.xeroId!).LineItems;
    expect(member).toMatchObject({ ItemCode: 'MEMBER-FULL', Item: { Code: 'MEMBER-FULL' }, Description: 'Full membership 2027 (renewal)', UnitAmount: 110, AccountCode: '260' });
    expect(donation.ItemCode).toBeUndefined();
  });
});

describe('branding themes', () => {
  it('checks the organisation\'s theme against Xero\'s when saved, then lays its invoices out with it', async () => {
    const { tenantId, api, admin } = await orgWithMember();
    const themes = sandbox.control.organisation(tenantId).brandingThemes as Array<{ BrandingThemeID: string; Name: string }>;
    const special = themes.find((t) => t.Name === 'Special projects')!;
    const unknown = await admin.putSettings({ brandingThemeId: '00000000-0000-4000-8000-000000000001' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([
      { path: 'body.brandingThemeId', message: expect.stringMatching(/^Branding theme '00000000-0000-4000-8000-000000000001' is not one of the organisation's branding themes in Xero\. Themes: Standard \(.+\), Special projects \(.+\)$/) },
    ]);
    expect((await admin.putSettings({ brandingThemeId: 'Special projects' })).body.errors).toEqual([{ path: 'body.brandingThemeId', message: "expected a Xero branding theme's id (BrandingThemeID)" }]);
    const saved = await admin.putSettings({ brandingThemeId: special.BrandingThemeID });
    expect(saved.body).toMatchObject({ brandingThemeId: special.BrandingThemeID, checkedAgainstXero: true });

    await api.putInvoice('inv-b', invoice('THEME-1', [{ description: 'Project fee', quantity: 1, unitAmount: '500.00' }]));
    const pushed = await settledInvoice(api, 'inv-b');
    expect(xeroInvoice(tenantId, pushed.sync.xeroId!).BrandingThemeID).toBe(special.BrandingThemeID);
  });

  it('takes an invoice\'s own theme by name, and fails an unknown one before any push call', async () => {
    const { tenantId, api } = await orgWithMember();
    const standard = (sandbox.control.organisation(tenantId).brandingThemes as Array<{ BrandingThemeID: string; Name: string }>).find((t) => t.Name === 'Standard')!;
    await api.putInvoice('inv-own', invoice('THEME-2', [{ description: 'Fee', quantity: 1, unitAmount: '10.00' }], { brandingTheme: 'standard' }));
    const pushed = await settledInvoice(api, 'inv-own');
    expect(xeroInvoice(tenantId, pushed.sync.xeroId!).BrandingThemeID).toBe(standard.BrandingThemeID);

    const [reads, writes] = [calls(tenantId, 'GET /BrandingThemes'), calls(tenantId, 'POST /Invoices')];
    await api.putInvoice('inv-gala', invoice('THEME-3', [{ description: 'Fee', quantity: 1, unitAmount: '10.00' }], { brandingTheme: 'Gala night' }));
    const failed = await settledInvoice(api, 'inv-gala');
    expect(failed.sync).toMatchObject({
      state: 'failed',
      lastError: "Branding theme 'Gala night' is not one of the organisation's branding themes in Xero.",
      lastErrorHint: 'Use one of: Standard, Special projects (by name or id), or leave brandingTheme out to use the organisation\'s theme.',
    });
    // Our copy was read again once (paced) before deciding; nothing was pushed.
    expect(calls(tenantId, 'GET /BrandingThemes')).toBe(reads + 1);
    expect(calls(tenantId, 'POST /Invoices')).toBe(writes);
  });
});

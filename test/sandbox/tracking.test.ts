/** Tracking categories and the tracking on lines: Xero keeps only what it knows and drops the rest silently. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startHarness, type Harness } from './helpers.ts';
import { validateAccountingResponse } from './openapi-validator.ts';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => { await h.close(); });

async function categories(query = '') {
  const res = await h.api('GET', `/TrackingCategories${query}`);
  expect(res.status).toBe(200);
  expect(validateAccountingResponse('GET', '/TrackingCategories', 200, res.body).errors).toEqual([]);
  return res.body.TrackingCategories as Array<{ Name: string; Status: string; TrackingCategoryID: string; Options: Array<{ Name: string; Status: string; TrackingOptionID: string }> }>;
}
const optionNames = (c: { Options: Array<{ Name: string }> }) => c.Options.map((o) => o.Name);

async function invoiceWith(tracking: unknown[], extra: Record<string, unknown> = {}) {
  const res = await h.api('PUT', '/Invoices?summarizeErrors=false', { body: { Invoices: [{
    Type: 'ACCREC', Contact: { Name: 'Tracked Member' }, Date: '2026-03-01', DueDate: '2026-03-31', Status: 'AUTHORISED',
    LineItems: [{ Description: 'Membership', Quantity: 1, UnitAmount: 100, AccountCode: '200', Tracking: tracking }], ...extra,
  }] } });
  expect(res.status).toBe(200);
  return res.body.Invoices[0];
}

describe('GET /TrackingCategories', () => {
  it('lists the seeded active categories with their active options; archived ones only with includeArchived', async () => {
    const active = await categories();
    expect(active.map((c) => [c.Name, c.Status])).toEqual([['Region', 'ACTIVE'], ['Chapter', 'ACTIVE']]);
    expect(optionNames(active[0]!)).toEqual(['North', 'Central', 'South']);
    const all = await categories('?includeArchived=true');
    expect(all.map((c) => c.Name)).toEqual(['Region', 'Chapter', 'Campaign 2025']);
    expect(all[0]!.Options.map((o) => [o.Name, o.Status])).toContainEqual(['Overseas', 'ARCHIVED']);
    expect((await categories(`?where=${encodeURIComponent('Name=="Chapter"')}`)).map((c) => c.Name)).toEqual(['Chapter']);
    expect((await categories('?order=Name')).map((c) => c.Name)).toEqual(['Chapter', 'Region']);

    const one = await h.api('GET', `/TrackingCategories/${active[1]!.TrackingCategoryID}`);
    expect(one.body.TrackingCategories[0]).toMatchObject({ Name: 'Chapter', Status: 'ACTIVE' });
    expect((await h.api('GET', '/TrackingCategories/00000000-0000-0000-0000-000000000001')).status).toBe(404);
  });
});

describe('tracking on lines', () => {
  it('stores tracking given by names or by ids, answering both', async () => {
    const [region, chapter] = await categories();
    const north = region!.Options.find((o) => o.Name === 'North')!;
    const byName = await invoiceWith([{ Name: 'Region', Option: 'North' }, { Name: 'Chapter', Option: 'Wellington' }]);
    expect(byName.StatusAttributeString).toBe('OK');
    expect(byName.LineItems[0].Tracking).toEqual([
      { Name: 'Region', Option: 'North', TrackingCategoryID: region!.TrackingCategoryID, TrackingOptionID: north.TrackingOptionID },
      { Name: 'Chapter', Option: 'Wellington', TrackingCategoryID: chapter!.TrackingCategoryID, TrackingOptionID: chapter!.Options.find((o) => o.Name === 'Wellington')!.TrackingOptionID },
    ]);
    const byId = await invoiceWith([{ TrackingCategoryID: region!.TrackingCategoryID, TrackingOptionID: north.TrackingOptionID }]);
    expect(byId.LineItems[0].Tracking).toEqual([{ Name: 'Region', Option: 'North', TrackingCategoryID: region!.TrackingCategoryID, TrackingOptionID: north.TrackingOptionID }]);
    const fetched = await h.api('GET', `/Invoices/${byId.InvoiceID}`);
    expect(validateAccountingResponse('GET', '/Invoices/{InvoiceID}', 200, fetched.body).errors).toEqual([]);
    expect(fetched.body.Invoices[0].LineItems[0].Tracking[0].Option).toBe('North');
  });

  it('drops, without a validation error, an unknown option or category, an archived one, a near-miss in case, and a second option for a category', async () => {
    for (const tracking of [
      [{ Name: 'Region', Option: 'Narnia' }],
      [{ Name: 'Department', Option: 'North' }],
      [{ Name: 'Region', Option: 'Overseas' }],
      [{ Name: 'Campaign 2025', Option: 'Spring appeal' }],
      [{ Name: 'Region', Option: 'north' }],
      [{ TrackingCategoryID: '11111111-1111-1111-1111-111111111111', TrackingOptionID: '22222222-2222-2222-2222-222222222222' }],
    ]) {
      const invoice = await invoiceWith(tracking);
      expect(invoice.StatusAttributeString).toBe('OK');
      expect(invoice.ValidationErrors).toBeUndefined();
      expect(invoice.LineItems[0].Tracking).toEqual([]);
    }
    const twice = await invoiceWith([{ Name: 'Region', Option: 'North' }, { Name: 'Region', Option: 'South' }]);
    expect(twice.LineItems[0].Tracking.map((t: { Option: string }) => t.Option)).toEqual(['North']);
  });

  it('refuses a tracking id that is not a Guid, as Xero\'s deserialiser does', async () => {
    const res = await h.api('PUT', '/Invoices', { body: { Invoices: [{ Type: 'ACCREC', Contact: { Name: 'X' }, LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 1, Tracking: [{ TrackingCategoryID: 'region', TrackingOptionID: 'north' }] }] }] } });
    expect(res.status).toBe(400);
    expect(res.body.Type).toBe('PostDataInvalidException');
  });

  it('applies to bills, credit notes and manual journal lines too', async () => {
    const bill = await invoiceWith([{ Name: 'Chapter', Option: 'Auckland' }], { Type: 'ACCPAY', LineItems: [{ Description: 'Print', Quantity: 1, UnitAmount: 10, AccountCode: '461', Tracking: [{ Name: 'Chapter', Option: 'Auckland' }] }] });
    expect(bill.LineItems[0].Tracking[0]).toMatchObject({ Name: 'Chapter', Option: 'Auckland' });
    const credit = await h.api('PUT', '/CreditNotes', { body: { CreditNotes: [{ Type: 'ACCRECCREDIT', Contact: { Name: 'Tracked Member' }, LineItems: [{ Description: 'Refund', Quantity: 1, UnitAmount: 10, AccountCode: '200', Tracking: [{ Name: 'Region', Option: 'South' }, { Name: 'Region', Option: 'Nowhere' }] }] }] } });
    expect(credit.body.CreditNotes[0].LineItems[0].Tracking).toEqual([expect.objectContaining({ Name: 'Region', Option: 'South' })]);
    const journal = await h.api('PUT', '/ManualJournals', { body: { ManualJournals: [{ Narration: 'Tracked journal', JournalLines: [
      { LineAmount: 10, AccountCode: '835', Tracking: [{ Name: 'Region', Option: 'Central' }] },
      { LineAmount: -10, AccountCode: '200', Tracking: [{ Name: 'Region', Option: 'Atlantis' }] },
    ] }] } });
    expect(validateAccountingResponse('PUT', '/ManualJournals', 200, journal.body).errors).toEqual([]);
    expect(journal.body.ManualJournals[0].JournalLines.map((l: { Tracking: Array<{ Option: string }> }) => l.Tracking.map((t) => t.Option))).toEqual([['Central'], []]);
  });
});

describe('tracking categories through the control API', () => {
  it('creates and reshapes categories over HTTP, keeping option ids, under the two-active rule', async () => {
    const url = `${h.sandbox.controlUrl}/organisations/${h.tenantId}/tracking-categories`;
    const third = await call(url, 'POST', { body: { Name: 'Department', Options: ['Coaching'] } });
    expect(third.status).toBe(400);
    expect(third.body.error).toMatch(/at most 2 active/);
    const archived = await call(url, 'POST', { body: { Name: 'Chapter', Status: 'ARCHIVED', Options: ['Auckland', 'Wellington', 'Christchurch'] } });
    expect(archived.status).toBe(200);
    expect((await call(url, 'POST', { body: { Name: 'Department', Options: ['Coaching', { Name: 'Events' }] } })).status).toBe(200);
    expect((await categories()).map((c) => c.Name)).toEqual(['Region', 'Department']);

    const before = (await categories()).find((c) => c.Name === 'Region')!;
    const reshaped = await call(url, 'POST', { body: { Name: 'Region', Options: ['North', 'East'] } });
    expect(reshaped.body.TrackingCategoryID).toBe(before.TrackingCategoryID);
    const after = (await categories()).find((c) => c.Name === 'Region')!;
    expect(after.Options.map((o) => o.Name)).toEqual(['North', 'East']);
    expect(after.Options[0]!.TrackingOptionID).toBe(before.Options[0]!.TrackingOptionID);
    expect((await invoiceWith([{ Name: 'Region', Option: 'South' }])).LineItems[0].Tracking).toEqual([]);
  });

  it('takes an organisation\'s own categories at creation, and refuses three active ones', async () => {
    const org = h.sandbox.control.createOrganisation({ name: 'Own Tracking', trackingCategories: [{ Name: 'Squad', Options: ['Seniors', 'Juniors'] }] });
    expect(org.trackingCategories.map((c: Record<string, unknown>) => c['Name'])).toEqual(['Squad']);
    expect(() => h.sandbox.control.createOrganisation({ name: 'Too Many', trackingCategories: [{ Name: 'A' }, { Name: 'B' }, { Name: 'C' }] })).toThrow(/at most 2 active/);
  });
});

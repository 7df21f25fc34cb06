/** Branding themes: listed, defaulted on documents, and an unknown one refused. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers.ts';
import { validateAccountingResponse } from './openapi-validator.ts';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => { await h.close(); });

const invoice = (extra: Record<string, unknown> = {}) => ({
  Type: 'ACCREC', Contact: { Name: 'Themed Member' }, LineItems: [{ Description: 'Membership', Quantity: 1, UnitAmount: 50, AccountCode: '200' }], ...extra,
});

async function themes() {
  const res = await h.api('GET', '/BrandingThemes');
  expect(validateAccountingResponse('GET', '/BrandingThemes', 200, res.body).errors).toEqual([]);
  return res.body.BrandingThemes as Array<{ BrandingThemeID: string; Name: string; SortOrder: number; Type: string; CreatedDateUTC: string }>;
}

describe('branding themes', () => {
  it('lists the seeded themes, the default first, and fetches one by id', async () => {
    const list = await themes();
    expect(list.map((t) => [t.Name, t.SortOrder, t.Type])).toEqual([['Standard', 0, 'INVOICE'], ['Special projects', 1, 'INVOICE']]);
    expect(list[0]!.CreatedDateUTC).toMatch(/^\/Date\(\d+\+0000\)\/$/);
    const one = await h.api('GET', `/BrandingThemes/${list[1]!.BrandingThemeID}`);
    expect(validateAccountingResponse('GET', '/BrandingThemes/{BrandingThemeID}', 200, one.body).errors).toEqual([]);
    expect(one.body.BrandingThemes[0].Name).toBe('Special projects');
    expect((await h.api('GET', '/BrandingThemes/00000000-0000-0000-0000-000000000001')).status).toBe(404);
  });

  it('gives a document the default theme, keeps a named one, changes it on update and refuses an unknown one', async () => {
    const [standard, special] = await themes();
    const res = await h.api('PUT', '/Invoices?summarizeErrors=false', { body: { Invoices: [
      invoice(), invoice({ BrandingThemeID: special!.BrandingThemeID }), invoice({ BrandingThemeID: '5f0f4a4e-0000-4000-8000-000000000000' }),
    ] } });
    const [plain, themed, unknown] = res.body.Invoices;
    expect(plain.BrandingThemeID).toBe(standard!.BrandingThemeID);
    expect(themed.BrandingThemeID).toBe(special!.BrandingThemeID);
    expect(unknown.StatusAttributeString).toBe('ERROR');
    expect(unknown.ValidationErrors).toEqual([{ Message: 'The BrandingThemeID provided is not valid for this organisation.' }]);

    const changed = await h.api('POST', `/Invoices/${plain.InvoiceID}`, { body: { Invoices: [{ BrandingThemeID: special!.BrandingThemeID }] } });
    expect(changed.body.Invoices[0].BrandingThemeID).toBe(special!.BrandingThemeID);
    expect((await h.api('POST', `/Invoices/${plain.InvoiceID}`, { body: { Invoices: [{ Reference: 'kept' }] } })).body.Invoices[0].BrandingThemeID).toBe(special!.BrandingThemeID);

    const credit = await h.api('PUT', '/CreditNotes', { body: { CreditNotes: [{ ...invoice({ BrandingThemeID: special!.BrandingThemeID }), Type: 'ACCRECCREDIT' }] } });
    expect(credit.body.CreditNotes[0].BrandingThemeID).toBe(special!.BrandingThemeID);
  });

  it('refuses a BrandingThemeID that is not a Guid, as Xero\'s deserialiser does', async () => {
    const res = await h.api('PUT', '/Invoices', { body: { Invoices: [invoice({ BrandingThemeID: 'Standard' })] } });
    expect(res.status).toBe(400);
    expect(res.body.Type).toBe('PostDataInvalidException');
  });

  it('takes an organisation\'s own themes at creation', async () => {
    const org = h.sandbox.control.createOrganisation({ name: 'Themed Club', brandingThemes: [{ Name: 'Club colours', SortOrder: 0 }] });
    expect(org.brandingThemes.map((t: Record<string, unknown>) => t['Name'])).toEqual(['Club colours']);
    expect(() => h.sandbox.control.createOrganisation({ name: 'No Themes', brandingThemes: [] })).toThrow(/at least one branding theme/);
  });
});

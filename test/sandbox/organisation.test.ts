/** GET /Organisation details a product needs, and the per-currency rate table for documents that omit CurrencyRate. */
import { afterEach, describe, expect, it } from 'vitest';
import { call, startHarness, type Harness } from './helpers.ts';
import { validateAccountingResponse } from './openapi-validator.ts';

let h: Harness;
afterEach(async () => { await h.close(); });

const line = { Description: 'Membership', Quantity: 1, UnitAmount: 100, AccountCode: '200' };

describe('organisation details', () => {
  it('answers the seeded timezone, base currency, organisation type and demo flag', async () => {
    h = await startHarness({ organisation: { name: 'Outback Rowing', countryCode: 'AU', timezone: 'AUSCENTRALSTANDARDTIME', organisationType: 'CLUB_OR_SOCIETY', currencies: ['NZD'] } });
    const res = await h.api('GET', '/Organisation');
    expect(validateAccountingResponse('GET', '/Organisation', 200, res.body).errors).toEqual([]);
    expect(res.body.Organisations[0]).toMatchObject({
      Name: 'Outback Rowing', BaseCurrency: 'AUD', CountryCode: 'AU', Timezone: 'AUSCENTRALSTANDARDTIME',
      OrganisationType: 'CLUB_OR_SOCIETY', IsDemoCompany: false, Version: 'AU',
    });
  });

  it('defaults the timezone by country and refuses values outside Xero\'s enums', async () => {
    h = await startHarness({ organisation: { name: 'Thames Rowing', countryCode: 'GB', baseCurrency: 'GBP' } });
    expect((await h.api('GET', '/Organisation')).body.Organisations[0]).toMatchObject({ Timezone: 'GMTSTANDARDTIME', BaseCurrency: 'GBP', OrganisationType: 'COMPANY' });
    expect(() => h.sandbox.control.createOrganisation({ name: 'Nowhere', timezone: 'MARS' })).toThrow(/TimeZone/);
    expect(() => h.sandbox.control.createOrganisation({ name: 'Odd', organisationType: 'GUILD' })).toThrow(/OrganisationType/);
    expect(h.sandbox.control.createOrganisation({ name: 'Demo Company (NZ)', isDemoCompany: true }).timezone).toBe('NEWZEALANDSTANDARDTIME');
  });
});

describe('currency rates', () => {
  it('fills in the organisation\'s rate when a foreign document omits CurrencyRate, keeps a given one, and uses 1 for the base currency', async () => {
    h = await startHarness({ organisation: { name: 'Harbour Rowing', countryCode: 'NZ', currencies: ['AUD', 'USD'], currencyRates: { USD: 0.5912 } } });
    h.sandbox.control.setCurrencyRates(h.tenantId, { AUD: 0.9123 });
    const put = await h.api('PUT', '/Invoices?summarizeErrors=false', { body: { Invoices: [
      { Type: 'ACCREC', Contact: { Name: 'Sydney Member' }, CurrencyCode: 'AUD', LineItems: [line] },
      { Type: 'ACCREC', Contact: { Name: 'Boston Member' }, CurrencyCode: 'USD', LineItems: [line] },
      { Type: 'ACCREC', Contact: { Name: 'Boston Member' }, CurrencyCode: 'USD', CurrencyRate: 0.6, LineItems: [line] },
      { Type: 'ACCREC', Contact: { Name: 'Local Member' }, CurrencyRate: 0.6, LineItems: [line] },
    ] } });
    expect(put.body.Invoices.map((i: { CurrencyCode: string; CurrencyRate: number }) => [i.CurrencyCode, i.CurrencyRate])).toEqual([['AUD', 0.9123], ['USD', 0.5912], ['USD', 0.6], ['NZD', 1]]);
    const credit = await h.api('PUT', '/CreditNotes', { body: { CreditNotes: [{ Type: 'ACCRECCREDIT', Contact: { Name: 'Sydney Member' }, CurrencyCode: 'AUD', LineItems: [line] }] } });
    expect(credit.body.CreditNotes[0]).toMatchObject({ CurrencyCode: 'AUD', CurrencyRate: 0.9123 });
  });

  it('is set through the control API over HTTP, only for enabled foreign currencies', async () => {
    h = await startHarness();
    const set = await call(`${h.sandbox.controlUrl}/organisations/${h.tenantId}/currency-rates`, 'PUT', { body: { AUD: 0.93 } });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ AUD: 0.93 });
    expect(h.sandbox.control.organisation(h.tenantId).currencyRates).toEqual({ AUD: 0.93 });
    expect((await call(`${h.sandbox.controlUrl}/organisations/${h.tenantId}/currency-rates`, 'PUT', { body: { EUR: 0.5 } })).status).toBe(400);
    expect((await call(`${h.sandbox.controlUrl}/organisations/${h.tenantId}/currency-rates`, 'PUT', { body: { AUD: 0 } })).status).toBe(400);
    const inv = await h.api('PUT', '/Invoices', { body: { Invoices: [{ Type: 'ACCREC', Contact: { Name: 'Aussie' }, CurrencyCode: 'AUD', LineItems: [line] }] } });
    expect(inv.body.Invoices[0].CurrencyRate).toBe(0.93);
  });
});

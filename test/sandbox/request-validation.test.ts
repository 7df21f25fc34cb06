/** `validateRequests`: the sandbox checks every Accounting request against Xero's OpenAPI spec before handling it. */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Invoice, XeroClient, type Contact } from 'xero-node';
import { describeSpecViolations, startTestSandbox } from '../support/sandbox.ts';
import { startHarness, type Harness } from './helpers.ts';
import { validateAccountingParameters } from './openapi-validator.ts';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

const line = { Description: 'Membership', Quantity: 1, UnitAmount: 80, AccountCode: '200', TaxType: 'OUTPUT2' };

/** A GET with a JSON body, as xero-node sends them (fetch refuses to). */
function getWithBody(harness: Harness, path: string, body: unknown): Promise<number> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${harness.sandbox.apiUrl}${path}`, {
      method: 'GET',
      headers: {
        authorization: `Bearer ${harness.tokens.access_token}`, 'xero-tenant-id': harness.tenantId,
        'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)),
      },
    }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)); });
    req.on('error', reject);
    req.end(text);
  });
}

async function contactId(harness: Harness): Promise<string> {
  const res = await harness.api('PUT', '/Contacts', { body: { Contacts: [{ Name: `Member ${Math.random().toString(36).slice(2, 8)}`, EmailAddress: 'member@example.org' }] } });
  return res.body.Contacts[0].ContactID as string;
}

describe("validateRequests: 'record'", () => {
  it('passes conforming requests, including GETs with the `{}` body xero-node sends', async () => {
    h = await startHarness({ validateRequests: true });
    expect(h.sandbox.control.requestValidation).toBe('record');
    const id = await contactId(h);
    const put = await h.api('PUT', '/Invoices?summarizeErrors=false&unitdp=4', { body: { Invoices: [
      { Type: 'ACCREC', Contact: { ContactID: id }, Date: '2026-01-01', DueDate: '2026-01-31', Status: 'AUTHORISED', LineAmountTypes: 'Exclusive', LineItems: [line] },
    ] }, headers: { 'Idempotency-Key': 'k-1' } });
    expect(put.status).toBe(200);
    expect(await getWithBody(h, `/Invoices?IDs=${put.body.Invoices[0].InvoiceID}&Statuses=AUTHORISED,PAID&page=1&pageSize=10`, {})).toBe(200);
    expect((await h.api('GET', '/Contacts?includeArchived=true&summaryOnly=false&where=Name%3D%3D%22x%22', {
      headers: { 'If-Modified-Since': '2026-01-01T00:00:00.000Z' },
    })).status).toBe(200);
    expect((await h.api('POST', `/Invoices/${put.body.Invoices[0].InvoiceID}/Email`, { body: {} })).status).toBe(204);
    expect(h.sandbox.control.specViolations()).toEqual([]);
  });

  it('records a wrong type and a bad enum in the body, and still handles the request', async () => {
    h = await startHarness({ validateRequests: 'record' });
    const id = await contactId(h);
    const res = await h.api('PUT', '/Invoices?summarizeErrors=false', { body: { Invoices: [
      { Type: 'SALES', Contact: { ContactID: id }, LineItems: [{ ...line, Quantity: 'one' }] },
    ] } });
    // The handler's own answer (Xero's deserialiser refuses an unknown enum), not the validator's rejection.
    expect(res.status).toBe(400);
    expect(res.body.Type).toBe('PostDataInvalidException');
    expect(res.headers.get('x-sandbox-spec-violation')).toBeNull();

    const [violation, ...more] = h.sandbox.control.specViolations();
    expect(more).toEqual([]);
    expect(violation).toMatchObject({
      seq: 1, method: 'PUT', path: '/Invoices', template: '/Invoices', query: 'summarizeErrors=false', tenantId: h.tenantId, rejected: false,
    });
    expect(violation!.errors).toEqual(expect.arrayContaining([
      expect.stringMatching(/^PUT \/Invoices request: \/Invoices\/0\/Type must be equal to one of the allowed values \(got "SALES"\)/),
      expect.stringMatching(/\/Invoices\/0\/LineItems\/0\/Quantity must be number \(got "one"\)/),
    ]));
    expect(violation!.bodyExcerpt).toContain('"Type":"SALES"');
    expect(violation!.bodyExcerpt!.length).toBeLessThanOrEqual(301);
  });

  it('records query parameters of the wrong type or format, unknown parameters, bodies on GET and unknown operations', async () => {
    h = await startHarness({ validateRequests: true });
    await h.api('GET', '/Invoices?page=two');
    await h.api('GET', '/Contacts?includeArchived=yes');
    await h.api('GET', '/Invoices?IDs=not-a-guid');
    await h.api('GET', '/Invoices?Status=PAID');
    await h.api('GET', '/Payments', { headers: { 'If-Modified-Since': 'yesterday' } });
    await getWithBody(h, '/Organisation', { Name: 'x' });
    await h.api('GET', '/BankTransfers/abc/Nonsense');
    const errors = h.sandbox.control.specViolations().map((v) => [v.template, v.errors.join(' | ')]);
    expect(errors).toEqual([
      ['/Invoices', expect.stringMatching(/^GET \/Invoices query page: \/ must be integer \(got "two"\)/)],
      ['/Contacts', expect.stringMatching(/^GET \/Contacts query includeArchived: \/ must be boolean \(got "yes"\)/)],
      ['/Invoices', expect.stringMatching(/^GET \/Invoices query IDs: \/0 must match format "uuid" \(got "not-a-guid"\)/)],
      ['/Invoices', 'GET /Invoices: query parameter "Status" is not in the spec for this operation (Xero ignores it)'],
      ['/Payments', expect.stringMatching(/^GET \/Payments header If-Modified-Since: \/ must match format "date-time"/)],
      ['/Organisation', 'GET /Organisation: takes no body'],
      [undefined, 'GET /BankTransfers/abc/Nonsense: the spec has no such operation'],
    ]);
  });

  it('serves the violations on the control API and forgets them on request (not on reset)', async () => {
    h = await startHarness({ validateRequests: true });
    await h.api('PUT', '/Contacts', { body: { Contacts: [{ Name: 42 }] } });
    h.sandbox.control.reset();
    const served = await (await fetch(`${h.sandbox.controlUrl}/spec-violations`)).json();
    expect(served).toMatchObject({ mode: 'record', dropped: 0, violations: [{ method: 'PUT', template: '/Contacts', errors: [expect.stringContaining('/Contacts/0/Name must be string (got 42)')] }] });
    expect((await fetch(`${h.sandbox.controlUrl}/spec-violations`, { method: 'DELETE' })).status).toBe(204);
    expect(h.sandbox.control.specViolations()).toEqual([]);
  });

  it('accepts what xero-node puts on the wire', async () => {
    h = await startHarness({ validateRequests: true });
    const xero = new XeroClient({ clientId: h.clientId, clientSecret: h.clientSecret, redirectUris: ['http://localhost:3999/callback'], scopes: [] });
    xero.accountingApi.basePath = h.sandbox.apiUrl;
    xero.setTokenSet(h.tokens);
    const created = await xero.accountingApi.updateOrCreateContacts(h.tenantId, { contacts: [{ name: 'SDK Member', emailAddress: 'sdk@example.org', contactNumber: 'SDK-1' } as Contact] }, false, 'c-1');
    const contact = created.body.contacts![0]!;
    await xero.accountingApi.getContacts(h.tenantId, new Date(Date.now() - 60_000), 'ContactNumber=="SDK-1"', 'Name ASC', [contact.contactID!], 1, true, true, undefined, 50);
    const invoices = await xero.accountingApi.updateOrCreateInvoices(h.tenantId, { invoices: [{
      type: Invoice.TypeEnum.ACCREC, contact: { contactID: contact.contactID }, date: '2026-01-15', dueDate: '2026-02-15', status: Invoice.StatusEnum.AUTHORISED,
      lineItems: [{ description: 'Annual membership', quantity: 1, unitAmount: 200, accountCode: '200', taxType: 'OUTPUT2' }],
    }] }, false, 4, 'i-1');
    const invoiceId = invoices.body.invoices![0]!.invoiceID!;
    await xero.accountingApi.getInvoices(h.tenantId, undefined, 'Type=="ACCREC"', undefined, [invoiceId], ['INV-0001'], [contact.contactID!], ['AUTHORISED', 'PAID'], 1, false, false, 4, true, 100);
    await xero.accountingApi.createPayments(h.tenantId, { payments: [{ invoice: { invoiceID: invoiceId }, account: { code: '090' }, amount: 10, date: '2026-01-20' }] }, false, 'p-1');
    await xero.accountingApi.getPayments(h.tenantId, new Date(Date.now() - 60_000), 'PaymentType=="ACCRECPAYMENT"', 'UpdatedDateUTC ASC', 1, 100);
    await xero.accountingApi.emailInvoice(h.tenantId, invoiceId, {}, 'e-1');
    await xero.accountingApi.getOrganisations(h.tenantId);
    await xero.accountingApi.getAccounts(h.tenantId);
    expect(describeSpecViolations(h.sandbox.control.specViolations())).toBe('');
  });
});

describe("validateRequests: 'reject'", () => {
  it('answers a violation 400 in Xero\'s shape without handling it, and handles conforming requests', async () => {
    h = await startHarness({ validateRequests: 'reject' });
    const id = await contactId(h);
    const bad = await h.api('PUT', '/Invoices?summarizeErrors=false', { body: { Invoices: [{ Type: 'SALES', Contact: { ContactID: id }, LineItems: [line] }] } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ErrorNumber: 14, Type: 'PostDataInvalidException', Message: expect.stringContaining('/Invoices/0/Type must be equal to one of the allowed values') });
    expect(bad.headers.get('x-sandbox-spec-violation')).toBe('1');
    expect(h.sandbox.control.records(h.tenantId).invoices).toEqual([]);

    const badQuery = await h.api('GET', '/Invoices?page=two');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException', Elements: [{ ValidationErrors: [{ Message: expect.stringContaining('query page') }] }] });

    const good = await h.api('PUT', '/Invoices?summarizeErrors=false', { body: { Invoices: [{ Type: 'ACCREC', Contact: { ContactID: id }, LineItems: [line] }] } });
    expect(good.status).toBe(200);
    expect(h.sandbox.control.specViolations().map((v) => [v.seq, v.rejected])).toEqual([[1, true], [2, true]]);
  });
});

describe('off by default', () => {
  it('checks nothing and loads nothing unless asked', async () => {
    h = await startHarness();
    expect(h.sandbox.control.requestValidation).toBe('off');
    const id = await contactId(h);
    await h.api('PUT', '/Invoices', { body: { Invoices: [{ Type: 'SALES', Contact: { ContactID: id } }] } });
    expect(h.sandbox.control.specViolations()).toEqual([]);
  });
});

describe('startTestSandbox', () => {
  it('turns validation on and names the running test in the report', async () => {
    const sandbox = await startTestSandbox({ validateRequests: 'reject' });
    try {
      expect(sandbox.control.requestValidation).toBe('reject');
      const res = await fetch(`${sandbox.apiUrl}/Organisation`);
      expect(res.status).toBe(401);
      // The gateway answers before the check: nothing recorded. A violation is reported with its test:
      expect(sandbox.control.specViolations()).toEqual([]);
    } finally {
      await sandbox.close();
    }
    const sample = describeSpecViolations([{
      seq: 3, at: '2026-01-01T00:00:00.000Z', method: 'PUT', path: '/Invoices', template: '/Invoices', query: 'summarizeErrors=false',
      errors: ['PUT /Invoices request: /Invoices/0/Type must be equal to one of the allowed values (got "SALES")'], bodyExcerpt: '{"Invoices":[{"Type":"SALES"}]}', rejected: false,
    }], new Map([[3, 'pushes invoices']]));
    expect(sample).toBe([
      '#3 PUT /Invoices?summarizeErrors=false (spec: PUT /Invoices) during "pushes invoices"',
      '    - PUT /Invoices request: /Invoices/0/Type must be equal to one of the allowed values (got "SALES")',
      '    body: {"Invoices":[{"Type":"SALES"}]}',
    ].join('\n'));
  });
});

describe('validateAccountingParameters', () => {
  it('types query values as the spec does: integers, booleans, comma-separated arrays of uuids', () => {
    const id = '0f4d5ed4-2a6e-4d4b-9c1f-2d4b7c1e9a10';
    expect(validateAccountingParameters('GET', '/Invoices', { page: '2', IDs: `${id},${id}`, Statuses: 'PAID,AUTHORISED', summaryOnly: 'true', unitdp: '4' }).errors).toEqual([]);
    expect(validateAccountingParameters('GET', '/Invoices', { unitdp: '4.5' }).valid).toBe(false);
    expect(validateAccountingParameters('GET', '/Invoices', { ContactIDs: `${id},nope` }).errors).toEqual([expect.stringContaining('/1 must match format "uuid" (got "nope")')]);
    expect(validateAccountingParameters('PUT', '/Invoices', { summarizeErrors: 'False' }).valid).toBe(false);
    expect(validateAccountingParameters('GET', '/Invoices', { statuses: 'PAID' }).valid).toBe(true);
  });
});

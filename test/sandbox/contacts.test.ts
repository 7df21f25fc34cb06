import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers.ts';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => { await h.close(); });

const TAKEN = (name: string) => `The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`;

describe('creating contacts', () => {
  it('creates with PUT and answers in Xero\'s envelope', async () => {
    const res = await h.api('PUT', '/Contacts', { body: { Contacts: [{ Name: 'Ada Lovelace', EmailAddress: 'ada@example.org', ContactNumber: 'M-1' }] } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ Status: 'OK', ProviderName: expect.any(String) });
    expect(res.body.DateTimeUTC).toMatch(/^\/Date\(\d+\+0000\)\/$/);
    const contact = res.body.Contacts[0];
    expect(contact).toMatchObject({ Name: 'Ada Lovelace', EmailAddress: 'ada@example.org', ContactNumber: 'M-1', ContactStatus: 'ACTIVE', IsCustomer: false });
    expect(contact.UpdatedDateUTC).toMatch(/^\/Date\(\d+\+0000\)\/$/);
    expect(res.headers.get('x-minlimit-remaining')).toBe('59');
  });

  it('refuses a second active contact with the same name (any case) with Xero\'s message', async () => {
    await h.api('PUT', '/Contacts', { body: { Contacts: [{ Name: 'Grace Hopper' }] } });
    const res = await h.api('PUT', '/Contacts', { body: { Contacts: [{ Name: 'grace hopper' }] } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred' });
    expect(res.body.Elements[0].ValidationErrors).toEqual([{ Message: TAKEN('grace hopper') }]);
  });

  it('with summarizeErrors=false answers 200 and marks each element OK or ERROR', async () => {
    await h.api('PUT', '/Contacts', { body: { Contacts: [{ Name: 'Taken' }] } });
    const res = await h.api('PUT', '/Contacts?summarizeErrors=false', { body: { Contacts: [{ Name: 'Fresh' }, { Name: 'Taken' }, { Name: 'Bad Mail', EmailAddress: 'not-an-email' }] } });
    expect(res.status).toBe(200);
    const [ok, dup, bad] = res.body.Contacts;
    expect(ok).toMatchObject({ Name: 'Fresh', StatusAttributeString: 'OK' });
    expect(dup).toMatchObject({ StatusAttributeString: 'ERROR', HasValidationErrors: true, ContactID: '00000000-0000-0000-0000-000000000000' });
    expect(dup.ValidationErrors).toEqual([{ Message: TAKEN('Taken') }]);
    expect(bad.ValidationErrors).toEqual([{ Message: 'Email address must be valid.' }]);
  });

  it('without summarizeErrors=false fails with 400 but still creates the valid elements (ids lost)', async () => {
    const res = await h.api('PUT', '/Contacts', { body: { Contacts: [{ Name: 'Valid One' }, { Name: '' }] } });
    expect(res.status).toBe(400);
    expect(res.body.Elements).toHaveLength(1);
    const list = await h.api('GET', '/Contacts');
    expect(list.body.Contacts.map((c: { Name: string }) => c.Name)).toEqual(['Valid One']);
  });
});

describe('updating contacts', () => {
  it('POST /Contacts updates the contact named by ContactNumber, POST /Contacts/{id} by id; UpdatedDateUTC moves', async () => {
    const created = (await h.api('PUT', '/Contacts', { body: { Contacts: [{ Name: 'Old Name', ContactNumber: 'M-7' }] } })).body.Contacts[0];
    const upsert = await h.api('POST', '/Contacts', { body: { Contacts: [{ ContactNumber: 'M-7', Name: 'New Name' }] } });
    expect(upsert.body.Contacts[0]).toMatchObject({ ContactID: created.ContactID, Name: 'New Name' });
    expect(upsert.body.Contacts[0].UpdatedDateUTC).not.toBe(created.UpdatedDateUTC);
    const byId = await h.api('POST', `/Contacts/${created.ContactID}`, { body: { Contacts: [{ EmailAddress: 'new@example.org' }] } });
    expect(byId.body.Contacts[0]).toMatchObject({ Name: 'New Name', EmailAddress: 'new@example.org' });
    expect((await h.api('GET', '/Contacts')).body.Contacts).toHaveLength(1);
  });

  it('archives; archived contacts leave lists unless includeArchived=true and free their name', async () => {
    const created = (await h.api('PUT', '/Contacts', { body: { Contacts: [{ Name: 'Leaver' }] } })).body.Contacts[0];
    await h.api('POST', `/Contacts/${created.ContactID}`, { body: { Contacts: [{ ContactStatus: 'ARCHIVED' }] } });
    expect((await h.api('GET', '/Contacts')).body.Contacts).toHaveLength(0);
    expect((await h.api('GET', '/Contacts?includeArchived=true')).body.Contacts[0].ContactStatus).toBe('ARCHIVED');
    expect((await h.api('PUT', '/Contacts', { body: { Contacts: [{ Name: 'Leaver' }] } })).status).toBe(200);
    const reactivate = await h.api('POST', `/Contacts/${created.ContactID}`, { body: { Contacts: [{ ContactStatus: 'ACTIVE' }] } });
    expect(reactivate.status).toBe(400);
    expect(reactivate.body.Elements[0].ValidationErrors[0].Message).toBe(TAKEN('Leaver'));
  });
});

describe('reading contacts', () => {
  beforeEach(async () => {
    await h.api('PUT', '/Contacts', { body: { Contacts: [
      { Name: 'Alice Smith', EmailAddress: 'alice@example.org', ContactNumber: 'A1' },
      { Name: 'Bob Jones', EmailAddress: 'bob@club.example', ContactNumber: 'B2' },
      { Name: 'Carol Smith', ContactNumber: 'C3' },
    ] } });
  });

  it('filters by IDs (comma-joined), where, searchTerm and If-Modified-Since', async () => {
    const all = (await h.api('GET', '/Contacts')).body.Contacts;
    const ids = `${all[0].ContactID},${all[2].ContactID}`;
    expect((await h.api('GET', `/Contacts?IDs=${ids}`)).body.Contacts.map((c: { Name: string }) => c.Name)).toEqual(['Alice Smith', 'Carol Smith']);
    const where = await h.api('GET', `/Contacts?where=${encodeURIComponent('ContactNumber=="B2"').replace(/%20/g, '+')}`);
    expect(where.body.Contacts.map((c: { Name: string }) => c.Name)).toEqual(['Bob Jones']);
    const starts = await h.api('GET', `/Contacts?where=${encodeURIComponent('Name.StartsWith("Carol") OR EmailAddress.Contains("club")')}`);
    expect(starts.body.Contacts).toHaveLength(2);
    expect((await h.api('GET', '/Contacts?searchTerm=smith')).body.Contacts).toHaveLength(2);
    const since = new Date(Number(/\d+/.exec(all[2].UpdatedDateUTC)![0])).toISOString();
    await h.api('POST', '/Contacts', { body: { Contacts: [{ ContactNumber: 'A1', Name: 'Alice Smythe' }] } });
    const changed = await h.api('GET', '/Contacts', { headers: { 'If-Modified-Since': since } });
    expect(changed.body.Contacts.map((c: { Name: string }) => c.Name)).toEqual(['Alice Smythe']);
  });

  it('a where on an unknown field is a QueryParseException', async () => {
    const res = await h.api('GET', `/Contacts?where=${encodeURIComponent('Colour=="red"')}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ ErrorNumber: 16, Type: 'QueryParseException' });
  });

  it('pages with page/pageSize (pageSize capped at 1000) and reports pagination', async () => {
    const page = await h.api('GET', '/Contacts?page=2&pageSize=2');
    expect(page.body.pagination).toEqual({ page: 2, pageSize: 2, pageCount: 2, itemCount: 3 });
    expect(page.body.Contacts).toHaveLength(1);
    expect((await h.api('GET', '/Contacts?page=1&pageSize=5000')).body.pagination.pageSize).toBe(1000);
    expect((await h.api('GET', '/Contacts')).body.pagination).toBeUndefined();
  });

  it('gets one contact by id or ContactNumber, and 404s an unknown one', async () => {
    const one = await h.api('GET', '/Contacts/B2');
    expect(one.body.Contacts[0].Name).toBe('Bob Jones');
    expect((await h.api('GET', `/Contacts/${one.body.Contacts[0].ContactID}`)).body.Contacts[0].Name).toBe('Bob Jones');
    const missing = await h.api('GET', '/Contacts/00000000-0000-0000-0000-000000000001');
    expect(missing.status).toBe(404);
  });

  it('accepts the `{}` body xero-node puts on every GET', async () => {
    const url = new URL(`${h.sandbox.apiUrl}/Contacts`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'GET', headers: { authorization: `Bearer ${h.tokens.access_token}`, 'xero-tenant-id': h.tenantId, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(200);
  });
});

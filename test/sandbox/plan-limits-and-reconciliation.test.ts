/**
 * The sandbox's model of two refusals the admin guide lists: "Xero contact limit reached" (a plan's cap on
 * contacts: creates refused per element, updates still taken) and "Transaction already reconciled" (a
 * payment on a reconciled bank statement line cannot be deleted).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTACT_LIMIT_REACHED } from '../../sandbox/accounting/contact-limit.ts';
import { RECONCILED } from '../../sandbox/accounting/payments.ts';
import { seedInvoice, startHarness, type Harness } from './helpers.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('contact limit', () => {
  it('refuses creates past the cap element by element, still takes updates, and lifts with the cap', async () => {
    expect(h.sandbox.control.setContactLimit(h.tenantId, 2)).toEqual({ contactLimit: 2 });
    const first = await h.api('POST', '/Contacts?summarizeErrors=false', { body: { Contacts: [{ Name: 'One' }, { Name: 'Two' }, { Name: 'Three' }] } });
    expect(first.status).toBe(200);
    expect(first.body.Contacts.map((c: { StatusAttributeString: string }) => c.StatusAttributeString)).toEqual(['OK', 'OK', 'ERROR']);
    expect(first.body.Contacts[2].ValidationErrors).toEqual([{ Message: CONTACT_LIMIT_REACHED }]);

    const one = first.body.Contacts[0];
    const update = await h.api('POST', '/Contacts?summarizeErrors=false', { body: { Contacts: [{ ContactID: one.ContactID, Name: 'One (renamed)' }] } });
    expect(update.body.Contacts[0]).toMatchObject({ StatusAttributeString: 'OK', Name: 'One (renamed)' });

    h.sandbox.control.setContactLimit(h.tenantId, null);
    const later = await h.api('PUT', '/Contacts?summarizeErrors=false', { body: { Contacts: [{ Name: 'Three' }] } });
    expect(later.body.Contacts[0].StatusAttributeString).toBe('OK');
    expect(h.sandbox.control.organisation(h.tenantId).contactLimit).toBeNull();
  });

  it('is an organisation option too, and refuses a bad value', async () => {
    const capped = h.sandbox.control.createOrganisation({ name: 'Capped', contactLimit: 0 });
    expect(capped.contactLimit).toBe(0);
    expect(() => h.sandbox.control.setContactLimit(h.tenantId, -1)).toThrow(/non-negative integer/);
  });
});

describe('reconciled payments', () => {
  it('refuses to delete a reconciled payment, then deletes it once unreconciled', async () => {
    const { invoice } = await seedInvoice(h);
    const payment = h.sandbox.control.payInvoice(h.tenantId, invoice.InvoiceID) as { PaymentID: string };
    expect(h.sandbox.control.reconcilePayment(h.tenantId, payment.PaymentID)).toMatchObject({ IsReconciled: true });

    const refused = await h.api('POST', `/Payments/${payment.PaymentID}`, { body: { Status: 'DELETED' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ Type: 'ValidationException' });
    expect(refused.body.Elements[0].ValidationErrors).toEqual([{ Message: RECONCILED }]);
    expect((await h.api('GET', `/Invoices/${invoice.InvoiceID}`)).body.Invoices[0].Status).toBe('PAID');

    h.sandbox.control.reconcilePayment(h.tenantId, payment.PaymentID, false);
    const deleted = await h.api('POST', `/Payments/${payment.PaymentID}`, { body: { Status: 'DELETED' } });
    expect(deleted.body.Payments[0].Status).toBe('DELETED');
  });
});

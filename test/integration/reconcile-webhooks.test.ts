/**
 * From Xero back, driven by Xero's webhooks: payments made (and deleted) in Xero and contact edits reach the
 * platform's records within seconds, once each, with one signed event each for the main app. Real stack:
 * the sandbox delivers its webhooks to our API, the organisation's workflow reads Xero back through its
 * pacer, the outbox delivers to a local receiver that verifies every signature.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { markConnectionNeedsReauth } from '../../db/queries/connections.ts';
import { contacts, outboundEvents, webhookEvents, xeroContactViews } from '../../db/schema/index.ts';
import { apiClient } from '../support/api-client.ts';
import { eventually } from '../support/stack.ts';
import { postWebhook, xeroDelivery, xeroEvent, xeroSignature } from './webhooks-helpers.ts';
import {
  connectThroughApi,
  localInvoice,
  payThroughAccountingApi,
  paymentsOf,
  pushInvoice,
  settled,
  startFromXeroStack,
  type FromXeroStack,
} from './reconcile-helpers.ts';

let s: FromXeroStack;
beforeAll(async () => {
  s = await startFromXeroStack();
});
afterAll(async () => {
  await s?.close();
});

describe('payments made in Xero, announced by webhooks', () => {
  it('records a partial and then a full payment on the invoice within seconds, once each, with one signed event each and invoice.paid', async () => {
    const { orgId, tenantId } = await connectThroughApi(s);
    const { xeroInvoiceId, invoice } = await pushInvoice(s, orgId, { invoiceId: 'inv-1' });
    const total = Number(invoice.total);
    expect(total).toBeGreaterThan(0);
    expect(invoice).toMatchObject({ xeroStatus: 'AUTHORISED', amountPaid: '0.00' });
    // Xero announces the contact and invoice we created: nothing to read back for those.
    await settled(s, orgId);
    const invoiceReads = () => s.sandbox.control.counters().calls[tenantId]?.['GET /Invoices'] ?? 0;
    expect(invoiceReads()).toBe(0);

    // A bookkeeper takes part of it in Xero, through the Accounting API.
    const started = Date.now();
    const partial = await payThroughAccountingApi(s.sandbox, tenantId, { invoiceId: xeroInvoiceId, amount: 40, reference: 'Part payment' });
    const afterPartial = await eventually(async () => {
      const row = await localInvoice(s.db, orgId, 'inv-1');
      return row.amountPaid === '40.00' ? row : undefined;
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(afterPartial).toMatchObject({ xeroStatus: 'AUTHORISED', amountDue: (total - 40).toFixed(2) });
    expect(invoiceReads()).toBe(1); // one GET /Invoices?IDs= for the webhook

    // The rest, from Xero's own screens.
    const full = s.sandbox.control.payInvoice(tenantId, xeroInvoiceId, { reference: 'Balance' }) as { PaymentID: string };
    const afterFull = await eventually(async () => {
      const row = await localInvoice(s.db, orgId, 'inv-1');
      return row.xeroStatus === 'PAID' ? row : undefined;
    });
    expect(afterFull).toMatchObject({ amountPaid: total.toFixed(2), amountDue: '0.00' });

    await settled(s, orgId);
    const recorded = await paymentsOf(s.db, orgId, 'inv-1');
    expect(recorded).toHaveLength(2);
    expect(recorded).toEqual([
      expect.objectContaining({ source: 'xero', xeroPaymentId: partial.PaymentID, amount: '40.00', reference: 'Part payment', date: '2026-11-15', reversedAt: null }),
      expect.objectContaining({ source: 'xero', xeroPaymentId: full.PaymentID, amount: (total - 40).toFixed(2), reference: 'Balance', reversedAt: null }),
    ]);

    // First the approved invoice's online link (invoice.synced, once), then what Xero's payments announced.
    const all = s.receiver.eventsFor(orgId);
    expect(all.map((e) => e.type)).toEqual(['invoice.synced', 'invoice.payment_recorded', 'invoice.payment_recorded', 'invoice.paid']);
    const events = all.slice(1);
    expect(events[0]!.data).toMatchObject({ invoiceId: 'inv-1', invoiceNumber: 'INV-inv-1', xeroPaymentId: partial.PaymentID, amount: '40.00', paymentId: recorded[0]!.id });
    expect(events[1]!.data).toMatchObject({ invoiceId: 'inv-1', xeroPaymentId: full.PaymentID });
    expect(events[2]!.data).toMatchObject({ invoiceId: 'inv-1', xeroInvoiceId, amountPaid: total.toFixed(2), amountDue: '0.00' });
    expect(s.receiver.refused()).toBe(0);
  });

  it('records one payment however many times the webhook is delivered', async () => {
    const { orgId, tenantId } = await connectThroughApi(s);
    const { xeroInvoiceId } = await pushInvoice(s, orgId, { invoiceId: 'inv-dup' });
    await settled(s, orgId);

    // Xero's own delivery is held back; we deliver it ourselves, three times (twice at once), plus the
    // same invoice named again by later events.
    s.sandbox.control.setWebhook({ enabled: false });
    let payment: { PaymentID: string };
    try {
      payment = s.sandbox.control.payInvoice(tenantId, xeroInvoiceId, { amount: 25, reference: 'Once' }) as { PaymentID: string };
    } finally {
      s.sandbox.control.setWebhook({ enabled: true });
    }
    const url = `${s.stack.apiUrl}${s.stack.env.WEBHOOK_PATH}`;
    const key = s.stack.env.XERO_WEBHOOK_KEY!;
    const body = xeroDelivery([xeroEvent({ tenantId, resourceId: xeroInvoiceId, eventCategory: 'INVOICE', eventType: 'UPDATE', eventDateUtc: '2026-11-15T10:00:00.000' })]);
    expect((await postWebhook(url, body, xeroSignature(body, key))).status).toBe(200);
    const twice = await Promise.all([postWebhook(url, body, xeroSignature(body, key)), postWebhook(url, body, xeroSignature(body, key))]);
    expect(twice.map((r) => r.status)).toEqual([200, 200]);
    for (const at of ['2026-11-15T10:00:01.000', '2026-11-15T10:00:02.000']) {
      const later = xeroDelivery([xeroEvent({ tenantId, resourceId: xeroInvoiceId, eventCategory: 'INVOICE', eventType: 'UPDATE', eventDateUtc: at })]);
      expect((await postWebhook(url, later, xeroSignature(later, key))).status).toBe(200);
    }

    await eventually(async () => (await paymentsOf(s.db, orgId, 'inv-dup')).length > 0);
    await settled(s, orgId);
    const stored = await s.db.select().from(webhookEvents).where(and(eq(webhookEvents.orgId, orgId), eq(webhookEvents.resourceId, xeroInvoiceId)));
    // Our push's CREATE, plus three distinct UPDATE events (the triple delivery is stored once); all read.
    expect(stored.filter((e) => e.eventType === 'UPDATE')).toHaveLength(3);
    expect(stored.every((e) => e.processedAt !== null)).toBe(true);
    expect(await paymentsOf(s.db, orgId, 'inv-dup')).toEqual([expect.objectContaining({ source: 'xero', xeroPaymentId: payment.PaymentID, amount: '25.00' })]);
    expect(s.receiver.eventsFor(orgId, 'invoice.payment_recorded')).toHaveLength(1);
    expect(await localInvoice(s.db, orgId, 'inv-dup')).toMatchObject({ amountPaid: '25.00', xeroStatus: 'AUTHORISED' });
  });

  it('reverses a payment deleted in Xero: amount due restored, status back from PAID, payment_reversed announced', async () => {
    const { orgId, tenantId } = await connectThroughApi(s);
    const { xeroInvoiceId, invoice } = await pushInvoice(s, orgId, { invoiceId: 'inv-del' });
    const payment = s.sandbox.control.payInvoice(tenantId, xeroInvoiceId, { reference: 'Paid in full' }) as { PaymentID: string };
    await eventually(async () => (await localInvoice(s.db, orgId, 'inv-del')).xeroStatus === 'PAID');

    s.sandbox.control.deletePayment(tenantId, payment.PaymentID);
    const restored = await eventually(async () => {
      const row = await localInvoice(s.db, orgId, 'inv-del');
      return row.xeroStatus === 'AUTHORISED' ? row : undefined;
    });
    expect(restored).toMatchObject({ amountPaid: '0.00', amountDue: invoice.total });

    await settled(s, orgId);
    const [reversed] = await paymentsOf(s.db, orgId, 'inv-del');
    expect(reversed).toMatchObject({ xeroPaymentId: payment.PaymentID, source: 'xero' });
    expect(reversed!.reversedAt).toBeInstanceOf(Date);
    expect(s.receiver.eventsFor(orgId).map((e) => e.type)).toEqual(['invoice.synced', 'invoice.payment_recorded', 'invoice.paid', 'invoice.payment_reversed']);
    expect(s.receiver.eventsFor(orgId, 'invoice.payment_reversed')[0]!.data).toMatchObject({ invoiceId: 'inv-del', xeroPaymentId: payment.PaymentID, amount: invoice.total });
  });

  it('does not record again a receipt the platform pushed to Xero itself', async () => {
    const { orgId } = await connectThroughApi(s);
    await pushInvoice(s, orgId, { invoiceId: 'inv-own' });
    const api = apiClient(s.stack, orgId);
    expect((await api.postPayment({ id: 'rcpt-1', invoiceId: 'inv-own', amount: '30.00', date: '2026-11-20', reference: 'Card' })).status).toBeLessThan(300);
    await eventually(async () => (await localInvoice(s.db, orgId, 'inv-own')).amountPaid === '30.00');
    await settled(s, orgId);
    const rows = await paymentsOf(s.db, orgId, 'inv-own');
    expect(rows).toEqual([expect.objectContaining({ id: 'rcpt-1', source: 'platform', xeroPaymentId: expect.any(String), reversedAt: null })]);
    expect(s.receiver.eventsFor(orgId, 'invoice.payment_recorded')).toEqual([]);
  });
});

describe('contacts edited in Xero, announced by webhooks', () => {
  it("records Xero's name, email and archived status once, tells the main app, and leaves the platform's contact alone", async () => {
    const { orgId, tenantId } = await connectThroughApi(s);
    await pushInvoice(s, orgId, { invoiceId: 'inv-c' });
    const [contactSync] = await s.db.execute<{ xero_id: string }>(sql`select xero_id from sync_state where org_id = ${orgId} and record_type = 'contact'`);
    await settled(s, orgId);
    expect(s.receiver.eventsFor(orgId, 'contact.changed_in_xero')).toEqual([]);

    s.sandbox.control.updateContact(tenantId, contactSync!.xero_id, { Name: 'Renamed In Xero', EmailAddress: 'new@example.org' });
    await settled(s, orgId);
    const [announced] = s.receiver.eventsFor(orgId, 'contact.changed_in_xero');
    expect(announced?.data).toMatchObject({
      contactId: 'm-inv-c',
      xeroContactId: contactSync!.xero_id,
      changes: { name: { xero: 'Renamed In Xero' }, email: { platform: 'inv-c@example.org', xero: 'new@example.org' } },
      appliedToPlatform: false,
    });
    const [view] = await s.db.select().from(xeroContactViews).where(eq(xeroContactViews.orgId, orgId));
    expect(view).toMatchObject({ contactId: 'm-inv-c', name: 'Renamed In Xero', email: 'new@example.org', archived: false });
    const [platform] = await s.db.select().from(contacts).where(and(eq(contacts.orgId, orgId), eq(contacts.id, 'm-inv-c')));
    expect(platform!.email).toBe('inv-c@example.org');

    // Archived in Xero: announced; the same state named again by another event is not news.
    s.sandbox.control.updateContact(tenantId, contactSync!.xero_id, { ContactStatus: 'ARCHIVED' });
    await settled(s, orgId);
    const url = `${s.stack.apiUrl}${s.stack.env.WEBHOOK_PATH}`;
    const again = xeroDelivery([xeroEvent({ tenantId, resourceId: contactSync!.xero_id, eventCategory: 'CONTACT', eventDateUtc: '2026-11-16T09:00:00.000' })]);
    expect((await postWebhook(url, again, xeroSignature(again, s.stack.env.XERO_WEBHOOK_KEY!))).status).toBe(200);
    await settled(s, orgId);
    const changes = s.receiver.eventsFor(orgId, 'contact.changed_in_xero');
    expect(changes).toHaveLength(2);
    expect(changes[1]!.data.changes).toMatchObject({ archived: { platform: false, xero: true } });
    expect((await s.db.select().from(xeroContactViews).where(eq(xeroContactViews.orgId, orgId)))[0]).toMatchObject({ archived: true });
  });
});

describe('connection.needs_reauth', () => {
  it('is announced once when the connection starts needing a person, not on every refused call after', async () => {
    const { orgId } = await connectThroughApi(s);
    await markConnectionNeedsReauth(s.db, { orgId, message: 'Xero refused the grant' });
    await markConnectionNeedsReauth(s.db, { orgId, message: 'Xero refused the grant again' });
    const rows = await s.db.select().from(outboundEvents).where(and(eq(outboundEvents.orgId, orgId), eq(outboundEvents.type, 'connection.needs_reauth')));
    expect(rows).toHaveLength(1);
    await settled(s, orgId);
    expect(s.receiver.eventsFor(orgId, 'connection.needs_reauth')[0]!.data).toMatchObject({ reason: 'needs_reauth', message: 'Xero refused the grant' });
  });
});

/**
 * With XERO_APPLY_CONTACT_EDITS=true, a contact's name and email edited in Xero are copied onto the
 * platform's contact (and announced as applied), without an echo: nothing is pushed back to Xero.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { contacts } from '../../db/schema/index.ts';
import { connectThroughApi, pushInvoice, settled, startFromXeroStack, type FromXeroStack } from './reconcile-helpers.ts';

let s: FromXeroStack;
beforeAll(async () => {
  s = await startFromXeroStack({ XERO_APPLY_CONTACT_EDITS: 'true' });
});
afterAll(async () => {
  await s?.close();
});

it("copies Xero's name and email onto the platform's contact, announces it as applied, and pushes nothing back", async () => {
  const { orgId, tenantId } = await connectThroughApi(s);
  await pushInvoice(s, orgId, { invoiceId: 'inv-e' });
  const [contactSync] = await s.db.execute<{ xero_id: string }>(sql`select xero_id from sync_state where org_id = ${orgId} and record_type = 'contact'`);
  await settled(s, orgId);
  const before = s.sandbox.control.counters().calls[tenantId] ?? {};
  const writesBefore = Object.entries(before).filter(([endpoint]) => /^(PUT|POST) \/Contacts/.test(endpoint)).reduce((sum, [, n]) => sum + n, 0);

  expect(writesBefore).toBeGreaterThan(0); // the contact was pushed once, so the count below means something

  s.sandbox.control.updateContact(tenantId, contactSync!.xero_id, { Name: 'Edited In Xero', EmailAddress: 'edited@example.org' });
  await settled(s, orgId);

  const [announced] = s.receiver.eventsFor(orgId, 'contact.changed_in_xero');
  expect(announced?.data).toMatchObject({ contactId: 'm-inv-e', appliedToPlatform: true, changes: { email: { xero: 'edited@example.org' } } });
  const [platform] = await s.db.select().from(contacts).where(and(eq(contacts.orgId, orgId), eq(contacts.id, 'm-inv-e')));
  expect(platform).toMatchObject({ name: 'Edited In Xero', email: 'edited@example.org' });

  // No echo: the copy is what Xero holds already, so the contact is not pushed again.
  const [state] = await s.db.execute<{ state: string }>(sql`select state from sync_state where org_id = ${orgId} and record_type = 'contact'`);
  expect(state!.state).toBe('synced');
  const after = s.sandbox.control.counters().calls[tenantId] ?? {};
  const writesAfter = Object.entries(after).filter(([endpoint]) => /^(PUT|POST) \/Contacts/.test(endpoint)).reduce((sum, [, n]) => sum + n, 0);
  expect(writesAfter).toBe(writesBefore);
});

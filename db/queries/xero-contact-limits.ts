/**
 * The organisation's "Xero contact limit reached" hold: while it lasts, contacts Xero does not hold yet are
 * not sent (they wait, pending); updates still go. See db/schema/xero-contact-limits.ts for how it ends.
 */
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { xeroContactLimits } from '../schema/index.ts';
import type { Write } from './writes.ts';

/** How long the hold lasts before the waiting contacts are tried again by themselves. */
export const CONTACT_LIMIT_RETRY_AFTER = sql`interval '1 day'`;

/** True for a contact row that may be claimed: it has a Xero id (an update), or no hold is in force. */
export const contactCreateAllowed = sql`(s.xero_id is not null or not exists (
  select 1 from xero_contact_limits l where l.org_id = s.org_id and l.retry_at > now()))`;

export async function holdContactCreates(db: DbOrTx, { orgId, xeroMessage }: { orgId: string; xeroMessage: string }): Promise<void> {
  await db
    .insert(xeroContactLimits)
    .values({ orgId, xeroMessage, retryAt: sql`now() + ${CONTACT_LIMIT_RETRY_AFTER}` })
    .onConflictDoUpdate({ target: xeroContactLimits.orgId, set: { xeroMessage, retryAt: sql`now() + ${CONTACT_LIMIT_RETRY_AFTER}` } });
}

/** `releaseContactCreates` as a write, for a pushed batch that created contacts. */
export function releaseContactCreatesWrite(orgId: string): Write {
  return sql`delete from xero_contact_limits where org_id = ${orgId}`;
}

/** Ends the hold (a create went through, or an admin retried contacts); true when there was one. */
export async function releaseContactCreates(db: DbOrTx, { orgId }: { orgId: string }): Promise<boolean> {
  const rows = await db.delete(xeroContactLimits).where(eq(xeroContactLimits.orgId, orgId)).returning({ orgId: xeroContactLimits.orgId });
  return rows.length > 0;
}

export interface ContactLimitHold {
  xeroMessage: string;
  reachedAt: Date;
  retryAt: Date;
  /** Contacts waiting to be created. */
  waiting: number;
  /** Invoices of those contacts, and receipts of those invoices, waiting with them. */
  waitingBehind: number;
}

export async function getContactLimitHold(db: DbOrTx, { orgId }: { orgId: string }): Promise<ContactLimitHold | undefined> {
  const [hold] = await db.select().from(xeroContactLimits).where(eq(xeroContactLimits.orgId, orgId));
  if (!hold) return undefined;
  const [row] = await db.execute<{ contacts: number; behind: number }>(sql`
    with held as (
      select record_id from sync_state
      where org_id = ${orgId} and record_type = 'contact' and state = 'pending' and xero_id is null),
    invoices_behind as (
      select s.record_id from sync_state s join invoices i on i.org_id = s.org_id and i.id = s.record_id
      where s.org_id = ${orgId} and s.record_type = 'invoice' and s.state = 'pending' and s.xero_id is null
        and i.contact_id in (select record_id from held)),
    payments_behind as (
      select s.record_id from sync_state s join payments p on p.org_id = s.org_id and p.id = s.record_id
      where s.org_id = ${orgId} and s.record_type = 'payment' and s.state = 'pending'
        and p.invoice_id in (select record_id from invoices_behind))
    select (select count(*) from held)::int as contacts,
      ((select count(*) from invoices_behind) + (select count(*) from payments_behind))::int as behind`);
  return { xeroMessage: hold.xeroMessage, reachedAt: hold.reachedAt, retryAt: hold.retryAt, waiting: row?.contacts ?? 0, waitingBehind: row?.behind ?? 0 };
}

/** Building, signing and sending Xero webhook deliveries, and seeding the connection that owns a tenant. */
import { createHmac, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { DbOrTx } from '../../db/client.ts';
import { ensureOrganisation } from '../../db/queries/organisations.ts';
import { webhookEvents, xeroConnections } from '../../db/schema/index.ts';
import { orgWorkflowId } from '../../workflows/ids.ts';

export interface XeroEventFields {
  tenantId: string;
  resourceId?: string;
  eventCategory?: string;
  eventType?: string;
  eventDateUtc?: string;
}

/** An event as Xero sends it: thin, with UTC dates that carry no offset. */
export function xeroEvent({ tenantId, resourceId = randomUUID(), eventCategory = 'INVOICE', eventType = 'UPDATE', eventDateUtc = '2025-12-02T00:44:09.923' }: XeroEventFields) {
  const resource = eventCategory === 'CONTACT' ? 'Contacts' : 'Invoices';
  return {
    resourceUrl: `https://api.xero.com/api.xro/2.0/${resource}/${resourceId}`,
    resourceId,
    tenantId,
    tenantType: 'ORGANISATION',
    eventCategory,
    eventType,
    eventDateUtc,
  };
}

export function xeroDelivery(events: unknown[]): string {
  return JSON.stringify({ events, firstEventSequence: events.length ? 1 : 0, lastEventSequence: events.length, entropy: randomUUID().slice(0, 20).toUpperCase() });
}

export function xeroSignature(body: string | Buffer, key: string): string {
  return createHmac('sha256', key).update(body).digest('base64');
}

export function postWebhook(url: string, body: string | Buffer, signature: string | undefined): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === undefined ? {} : { 'x-xero-signature': signature }) },
    body,
  });
}

/** An organisation whose live Xero connection owns `tenantId`. */
export async function seedConnection(db: DbOrTx, { orgId, tenantId, status = 'connected' }: { orgId: string; tenantId: string; status?: 'connected' | 'needs_reauth' | 'disconnected' }) {
  await ensureOrganisation(db, { orgId });
  await db.insert(xeroConnections).values({ orgId, authType: 'oauth', status, xeroTenantId: tenantId, xeroTenantName: 'Test Org' });
}

export async function storedEventsFor(db: DbOrTx, tenantId: string) {
  return db.select().from(webhookEvents).where(eq(webhookEvents.tenantId, tenantId));
}

/** The names of the signals the organisation's workflow has received, from its history. */
export async function signalsReceived(temporal: Client, orgId: string): Promise<string[]> {
  const history = await temporal.workflow.getHandle(orgWorkflowId(orgId)).fetchHistory();
  return (history.events ?? []).flatMap((e) => (e.workflowExecutionSignaledEventAttributes?.signalName ? [e.workflowExecutionSignaledEventAttributes.signalName] : []));
}

/**
 * The webhook read-back's round in ONE activity: picks the next batch of what unprocessed events name (as
 * `nextXeroEventBatch` does) and reads its invoices from Xero at once (as `takeInXeroInvoices` does, events
 * marked processed with the effects), instead of a database step, a workflow task, then the read. A payment
 * announced to an idle organisation is then one activity from its signal to its effects; and the answer says
 * whether INVOICE events are still waiting, so a pass that has read them all ends without asking again.
 *
 * One Xero call at most (none when the batch names no invoice): run through the pacer like any other.
 * The batch's contacts and credit notes are left to their own calls, which the workflow makes next.
 */
import type { ActivityDeps } from '../deps.ts';
import { hasUnprocessedWebhookEvents, nextUnprocessedXeroResources } from '../../db/queries/webhook-events.ts';
import { XERO_IDS_PER_CALL } from '../../workflows/constants.ts';
import { takeInXeroInvoices, type TakeInResult } from './take-in-invoices.ts';

export interface XeroEventRound {
  /** What the unprocessed events named (as `nextXeroEventBatch` answers). */
  batch: { invoiceIds: string[]; contactIds: string[]; creditNoteIds: string[] };
  /** The batch's invoices read and applied; absent when it named none. */
  invoices?: TakeInResult;
  /** INVOICE events still unprocessed after this round (stored meanwhile, or beyond one call's worth). */
  moreInvoices: boolean;
  /** What Xero answered of the budget; absent when no call reached Xero. */
  rateLimits?: TakeInResult['rateLimits'];
}

export function takeInXeroEventBatch(deps: ActivityDeps) {
  const readInvoices = takeInXeroInvoices(deps);
  return async ({ orgId }: { orgId: string }): Promise<XeroEventRound> => {
    const batch = await nextUnprocessedXeroResources(deps.db, { orgId, limit: XERO_IDS_PER_CALL });
    const invoices = batch.invoiceIds.length > 0 ? await readInvoices({ orgId, xeroInvoiceIds: batch.invoiceIds, fromEvents: true }) : undefined;
    const moreInvoices = await hasUnprocessedWebhookEvents(deps.db, { orgId, category: 'INVOICE' });
    return { batch, invoices: invoices && { ...invoices, rateLimits: undefined }, moreInvoices, rateLimits: invoices?.rateLimits };
  };
}

/**
 * One page of the reconciliation sweep's payments feed (`GET /Payments` with `If-Modified-Since` from the
 * `payments` watermark, sales payments only, oldest change first): ONE call. It finds which of our invoices
 * have payments we have not recorded, or deleted ones we still hold as live; the workflow then reads those
 * invoices by id (their full payment lists) and applies them, and only then moves the watermark
 * (`advanceXeroWatermark`), so a sweep cut short reads the same changes again next time.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Payment } from 'xero-node';
import type { ActivityDeps } from '../deps.ts';
import { callXero } from '../xero-call.ts';
import type { ObservedRateLimits } from '../../xero/rate-headers.ts';
import { findInvoicesForXero } from '../../db/queries/xero-invoice-match.ts';
import { findPaymentsByXeroIds } from '../../db/queries/xero-payments.ts';
import { nextWatermark, sweepStart } from './sweep-watermark.ts';
import { newestInstant } from '../../xero/values.ts';
import { FailureType } from '../../workflows/constants.ts';

export const PAYMENTS_PAGE_SIZE = 500;

export interface SweepPageInput {
  orgId: string;
  /** 1, unless the previous page could not move the watermark (a page full of one instant). */
  page: number;
}

export interface PaymentsPageResult {
  seen: number;
  more: boolean;
  /** Where this page started, and where the next should (ISO); absent when nothing was read. */
  since?: string;
  nextSince?: string;
  /** Whether the next page starts later than this one (if not, the workflow asks for the next page number). */
  advanced: boolean;
  /** Our invoices (Xero ids) to read again: their payments changed in a way we have not applied. */
  invoicesToRefresh: string[];
  rateLimits: ObservedRateLimits;
}

export function reconcilePaymentsPage(deps: ActivityDeps) {
  return async ({ orgId, page }: SweepPageInput): Promise<PaymentsPageResult> => {
    const since = await sweepStart(deps.db, { orgId, feed: 'payments' });
    const result = await callXero(deps, orgId, (api, tenantId) =>
      api.getPayments(tenantId, since, 'PaymentType=="ACCRECPAYMENT"', 'UpdatedDateUTC ASC', page, PAYMENTS_PAGE_SIZE),
    );
    if (!result.ok) throw readRefused('payments', result.failure.message);
    const payments: Payment[] = (result.body.payments ?? []).filter((p) => p.paymentID && p.invoice?.invoiceID);

    const ours = await findInvoicesForXero(deps.db, {
      orgId,
      xeroIds: payments.map((p) => p.invoice!.invoiceID!),
      numbers: payments.map((p) => p.invoice?.invoiceNumber).filter((n): n is string => !!n),
    });
    const oursById = new Set(ours.filter((o) => o.xeroId).map((o) => o.xeroId!.toLowerCase()));
    const oursByNumber = new Set(ours.filter((o) => !o.xeroId).map((o) => o.number));
    const held = new Map((await findPaymentsByXeroIds(deps.db, { orgId, xeroPaymentIds: payments.map((p) => p.paymentID!) })).map((p) => [p.xeroPaymentId, p]));

    const refresh = new Set<string>();
    for (const payment of payments) {
      const invoiceId = payment.invoice!.invoiceID!;
      if (!oursById.has(invoiceId.toLowerCase()) && !oursByNumber.has(payment.invoice?.invoiceNumber ?? '')) continue;
      const ours = held.get(payment.paymentID!.toLowerCase());
      const deleted = String(payment.status ?? '') === 'DELETED';
      if ((!deleted && !ours) || (deleted && ours && !ours.reversed)) refresh.add(invoiceId);
    }
    const nextSince = nextWatermark(newestInstant(payments.map((p) => p.updatedDateUTC)));
    return {
      seen: payments.length,
      more: (result.body.payments ?? []).length >= PAYMENTS_PAGE_SIZE,
      since: since?.toISOString(),
      nextSince,
      advanced: !!nextSince && (!since || Date.parse(nextSince) > since.getTime()),
      invoicesToRefresh: [...refresh],
      rateLimits: result.rateLimits,
    };
  };
}

/** Xero refused the read itself (not the connection): retrying the same question will not help. */
export function readRefused(feed: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.readRefused, message: `Xero refused to list ${feed}: ${message}`, nonRetryable: true });
}

/**
 * The status's `errors[]`, newest first, in the admin guide's shape `{type, message, timestamp}` (with the
 * record, Xero's own words and our hint beside): records that are failed now, and, while something holds the
 * whole organisation up, why.
 *
 * `type` is `contact_sync`, `invoice_sync`, `payment_sync`, `expense_sync` (a record, or the contact limit;
 * `credit_note_sync`, `credit_allocation_sync`, `credit_refund_sync` for credit),
 * or `connection` (the organisation: not connected, re-authorisation, paused, Xero's day budget, a pass that
 * gave up). A contact Xero refused because another contact has its name reads `Duplicate contact: <email>`.
 */
import type { XeroConnectionRow } from '../../../db/queries/connections.ts';
import type { latestOrganisationProblem, RecordFailure } from '../../../db/queries/admin-status.ts';
import type { ContactLimitHold } from '../../../db/queries/xero-contact-limits.ts';
import type { RecordType } from '../../../db/schema/index.ts';
import { DUPLICATE_CONTACT_NAME } from '../../../xero/refusals.ts';
import type { OrgSyncStatus } from '../../../workflows/messages.ts';
import type { DerivedSyncStatus } from '../../../lib/sync-status.ts';

export const statusErrorTypes = ['contact_sync', 'invoice_sync', 'payment_sync', 'expense_sync', 'credit_note_sync', 'credit_allocation_sync', 'credit_refund_sync', 'connection'] as const;
export type StatusErrorType = (typeof statusErrorTypes)[number];

export interface StatusError {
  type: StatusErrorType;
  message: string;
  timestamp: string;
  record_id: string | null;
  /** Xero's own words, when Xero said something. */
  xero_message: string | null;
  /** What to do about it. */
  hint: string | null;
}

export const errorTypeOf = (recordType: RecordType): StatusErrorType => `${recordType}_sync`;

export interface StatusErrorFacts {
  derived: DerivedSyncStatus;
  connection: XeroConnectionRow | undefined;
  failures: RecordFailure[];
  problem: Awaited<ReturnType<typeof latestOrganisationProblem>>;
  contactLimit: ContactLimitHold | undefined;
  workflow: OrgSyncStatus | undefined;
  lastSync: Date | null;
  now: Date;
  limit: number;
}

export function listStatusErrors({ derived, connection, failures, problem, contactLimit, workflow, lastSync, now, limit }: StatusErrorFacts): StatusError[] {
  const errors: StatusError[] = failures.map(recordError);
  if (contactLimit) errors.push(contactLimitError(contactLimit));
  const organisation = (message: string, at: Date, xeroMessage: string | null = null, hint: string | null = null): StatusError => ({
    type: 'connection',
    message,
    timestamp: at.toISOString(),
    record_id: null,
    xero_message: xeroMessage,
    hint,
  });
  if (derived.activity === 'on_hold') {
    if (connection?.lastError) errors.push(organisation(connection.lastError, connection.updatedAt));
    // The workflow's pause note, unless records have reached Xero since (then it is history).
    if (problem && (!lastSync || problem.at > lastSync)) {
      const message = [problem.xeroMessage, problem.message].filter(Boolean).join(' — ');
      if (message) errors.push(organisation(message, problem.at, problem.xeroMessage, problem.message));
    }
  }
  if (derived.degradedReason === 'day_budget_spent') {
    errors.push(organisation("Xero's daily call limit for this organisation is spent: the sync waits for Xero's day to reset, then carries on.", now));
  }
  if (derived.degradedReason === 'workflow_error' && workflow?.lastError) {
    const at = workflow.lastDrainAt ? new Date(workflow.lastDrainAt) : now;
    errors.push(organisation(`The last sync pass gave up: ${workflow.lastError}. The records stay queued and the next pass tries again.`, at));
  }
  return errors.sort((a, b) => b.timestamp.localeCompare(a.timestamp)).slice(0, limit);
}

function recordError(f: RecordFailure): StatusError {
  const base = { type: errorTypeOf(f.recordType), timestamp: f.at.toISOString(), record_id: f.recordId, xero_message: f.error, hint: f.hint };
  if (f.recordType === 'contact' && f.error && DUPLICATE_CONTACT_NAME.test(f.error)) {
    return { ...base, message: `Duplicate contact: ${f.contactEmail ?? f.contactName ?? f.recordId}` };
  }
  return { ...base, message: [f.error ?? 'Failed without a message from Xero.', f.hint].filter(Boolean).join(' — ') };
}

function contactLimitError(hold: ContactLimitHold): StatusError {
  return {
    type: 'contact_sync',
    message: `Xero contact limit reached: ${hold.waiting} new contact${hold.waiting === 1 ? '' : 's'} wait${hold.waiting === 1 ? 's' : ''} to be created; updates of contacts already in Xero still sync.`,
    timestamp: hold.reachedAt.toISOString(),
    record_id: null,
    xero_message: hold.xeroMessage,
    hint: `Upgrade the organisation's Xero plan or archive unused contacts, then retry contacts (POST .../retry {"sync_type": "contacts"}). Otherwise the sync tries the waiting contacts again at ${hold.retryAt.toISOString()}.`,
  };
}

/**
 * Status changes on invoices and credit notes, per Xero's table of valid changes: DRAFT -> SUBMITTED, AUTHORISED
 * or DELETED; SUBMITTED -> DRAFT, AUTHORISED or DELETED; AUTHORISED -> VOIDED; nothing out of PAID, VOIDED or
 * DELETED. Money allocated to a document (payments, credit) is checked first: Xero then answers naming the status
 * asked for. A paid invoice sent another status keeps the plainer "not of valid status" answer here (Xero may name
 * the status there too; unverified).
 */
export type DocumentStatus = 'DRAFT' | 'SUBMITTED' | 'AUTHORISED' | 'PAID' | 'VOIDED' | 'DELETED';

export const DOCUMENT_STATUSES: DocumentStatus[] = ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'VOIDED', 'DELETED'];

const NEXT_STATUS: Record<DocumentStatus, DocumentStatus[]> = {
  DRAFT: ['SUBMITTED', 'AUTHORISED', 'DELETED'],
  SUBMITTED: ['DRAFT', 'AUTHORISED', 'DELETED'],
  AUTHORISED: ['VOIDED'],
  PAID: [],
  VOIDED: [],
  DELETED: [],
};

export const NOT_VALID_STATUS = 'Invoice not of valid status for modification';
export const CREDIT_NOTE_NOT_VALID_STATUS = 'Credit Note not of valid status for modification';
export const STATUS_HAS_PAYMENTS = (status: string, document: 'invoice' | 'credit note' = 'invoice') =>
  `The status ${status} cannot be applied to the ${document} because it has payments or credit notes allocated to it.`;

/** Why a document may not go from `current` to `requested` (undefined: it may). `settled`: money is allocated to it. */
export function statusChangeRefusal(document: 'invoice' | 'credit note', current: DocumentStatus, requested: DocumentStatus, settled: boolean): string | undefined {
  const notValid = document === 'invoice' ? NOT_VALID_STATUS : CREDIT_NOTE_NOT_VALID_STATUS;
  if (current === 'VOIDED' || current === 'DELETED') return notValid;
  if (requested === current) return undefined;
  if (settled && (current !== 'PAID' || requested === 'VOIDED')) return STATUS_HAS_PAYMENTS(requested, document);
  return NEXT_STATUS[current].includes(requested) ? undefined : notValid;
}

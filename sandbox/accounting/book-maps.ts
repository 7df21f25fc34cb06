/** The record maps of one organisation's books, indexed by what Xero looks records up by. */
import { IndexedMap } from '../indexed-map.ts';
import type { Contact, CreditNote, Invoice, Payment } from './records.ts';

/** Xero's contact names are unique among active contacts, regardless of case and surrounding spaces. */
export function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

export const contactMap = () => new IndexedMap<Contact>({ name: (c) => nameKey(c.Name), number: (c) => c.ContactNumber });
export const invoiceMap = () => new IndexedMap<Invoice>({ number: (i) => i.InvoiceNumber.toLowerCase(), contact: (i) => i.ContactID || undefined });
export const paymentMap = () => new IndexedMap<Payment>({ invoice: (p) => p.InvoiceID });
export const creditNoteMap = () => new IndexedMap<CreditNote>({ number: (c) => c.CreditNoteNumber.toLowerCase() });

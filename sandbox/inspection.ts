/** Read-outs for tests and benchmarks: record counts and duplicates per organisation. */
import { nameKey } from './accounting/contacts.ts';
import type { Books } from './accounting/records.ts';

export interface Duplicate {
  value: string;
  count: number;
}

function duplicates(values: Array<string | undefined>): Duplicate[] {
  const counts = new Map<string, Duplicate>();
  for (const v of values) {
    if (!v) continue;
    const key = v.trim().toLowerCase();
    const entry = counts.get(key) ?? { value: v.trim(), count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].filter((d) => d.count > 1);
}

export function recordCounts(books: Books) {
  const invoices = [...books.invoices.values()];
  return {
    name: books.org.Name,
    contacts: books.contacts.size,
    activeContacts: [...books.contacts.values()].filter((c) => c.ContactStatus === 'ACTIVE').length,
    invoices: invoices.filter((i) => i.Status !== 'DELETED').length,
    invoicesByStatus: invoices.reduce<Record<string, number>>((acc, i) => ({ ...acc, [i.Status]: (acc[i.Status] ?? 0) + 1 }), {}),
    payments: [...books.payments.values()].filter((p) => p.Status === 'AUTHORISED').length,
    deletedPayments: [...books.payments.values()].filter((p) => p.Status === 'DELETED').length,
    creditNotes: books.creditNotes.size,
    manualJournals: books.manualJournals.size,
    emailsSent: books.emails.total,
  };
}

/** What a sync that creates records twice leaves behind. */
export function duplicatesIn(books: Books) {
  const contacts = [...books.contacts.values()];
  const live = [...books.invoices.values()].filter((i) => i.Status !== 'DELETED');
  return {
    contactNames: duplicates(contacts.map((c) => nameKey(c.Name))),
    contactNumbers: duplicates(contacts.map((c) => c.ContactNumber)),
    invoiceNumbers: duplicates(live.map((i) => (i.InvoiceNumber ? `${i.Type}:${i.InvoiceNumber}` : undefined))),
    invoiceReferences: duplicates(live.map((i) => i.Reference)),
  };
}

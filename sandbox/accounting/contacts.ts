/**
 * Contacts: Xero's rules for creating and changing them, and how they look on the wire.
 */
import { randomUUID } from 'node:crypto';
import { msDate } from '../xero-dates.ts';
import { ZERO_GUID, type ElementResult } from './batch.ts';
import { nameKey } from './book-maps.ts';
import { contactLimitProblem } from './contact-limit.ts';
import { change, touch, type BooksContext } from './context.ts';
import { array, compact, has, text, type Json } from './fields.ts';
import type { Address, Books, Contact, Phone } from './records.ts';
import type { FieldMap } from './where.ts';

export const CONTACT_NAME_TAKEN = (name: string) =>
  `The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`;
export const CONTACT_NAME_REQUIRED = 'The contact name must be specified.';
export const EMAIL_INVALID = 'Email address must be valid.';

const MAX_LENGTHS: Array<[keyof Contact, number]> = [
  ['Name', 255], ['FirstName', 255], ['LastName', 255], ['EmailAddress', 255],
  ['ContactNumber', 50], ['AccountNumber', 50], ['CompanyNumber', 50], ['TaxNumber', 50],
];

const TEXT_FIELDS = [
  'Name', 'ContactNumber', 'AccountNumber', 'FirstName', 'LastName', 'EmailAddress', 'CompanyNumber', 'TaxNumber',
  'BankAccountDetails', 'AccountsReceivableTaxType', 'AccountsPayableTaxType', 'DefaultCurrency',
] as const;

// Xero checks addresses loosely; an obviously broken one is refused.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export { nameKey };

export function findActiveByName(books: Books, name: string, exceptId?: string): Contact | undefined {
  return books.contacts.findFirst('name', nameKey(name), (c) => c.ContactID !== exceptId && c.ContactStatus === 'ACTIVE');
}

export function findByNumber(books: Books, contactNumber: string): Contact | undefined {
  return books.contacts.findFirst('number', contactNumber);
}

/** Which existing contact a POST element means: by ContactID, else by ContactNumber. */
export function matchContact(books: Books, input: Json): Contact | 'unknown-id' | undefined {
  const id = text(input, 'ContactID');
  if (id && id !== ZERO_GUID) return books.contacts.get(id.toLowerCase()) ?? 'unknown-id';
  const number = text(input, 'ContactNumber');
  return number ? findByNumber(books, number) : undefined;
}

function readAddresses(input: Json): Address[] | undefined {
  const list = array(input, 'Addresses');
  return list?.map((a) => compact({
    AddressType: (text(a, 'AddressType') === 'STREET' ? 'STREET' : 'POBOX') as Address['AddressType'],
    AddressLine1: text(a, 'AddressLine1'), AddressLine2: text(a, 'AddressLine2'), AddressLine3: text(a, 'AddressLine3'),
    AddressLine4: text(a, 'AddressLine4'), City: text(a, 'City'), Region: text(a, 'Region'),
    PostalCode: text(a, 'PostalCode'), Country: text(a, 'Country'), AttentionTo: text(a, 'AttentionTo'),
  }));
}

function readPhones(input: Json): Phone[] | undefined {
  const list = array(input, 'Phones');
  return list?.map((p) => {
    const type = text(p, 'PhoneType');
    return compact({
      PhoneType: (type === 'DDI' || type === 'MOBILE' || type === 'FAX' ? type : 'DEFAULT') as Phone['PhoneType'],
      PhoneNumber: text(p, 'PhoneNumber'), PhoneAreaCode: text(p, 'PhoneAreaCode'), PhoneCountryCode: text(p, 'PhoneCountryCode'),
    });
  });
}

/** The contact an element describes, applied over `existing` (an update) or from scratch (a create). */
function merge(input: Json, existing: Contact | undefined): Contact {
  const next: Contact = existing
    ? { ...existing, Addresses: [...existing.Addresses], Phones: [...existing.Phones] }
    : { ContactID: randomUUID(), ContactStatus: 'ACTIVE', Name: '', Addresses: [], Phones: [], updatedAt: 0 };
  for (const name of TEXT_FIELDS) {
    if (has(input, name)) {
      const value = text(input, name)?.trim();
      (next as unknown as Record<string, unknown>)[name] = value === '' ? undefined : value;
    }
  }
  if (next.Name === undefined) next.Name = '';
  const status = text(input, 'ContactStatus');
  if (status === 'ACTIVE' || status === 'ARCHIVED') next.ContactStatus = status;
  const addresses = readAddresses(input);
  if (addresses) next.Addresses = addresses;
  const phones = readPhones(input);
  if (phones) next.Phones = phones;
  return compact(next as unknown as Record<string, unknown>) as unknown as Contact;
}

export function contactErrors(books: Books, contact: Contact): string[] {
  const errors: string[] = [];
  if (!contact.Name || contact.Name.trim() === '') errors.push(CONTACT_NAME_REQUIRED);
  else if (contact.ContactStatus === 'ACTIVE' && findActiveByName(books, contact.Name, contact.ContactID)) {
    errors.push(CONTACT_NAME_TAKEN(contact.Name));
  }
  if (contact.EmailAddress !== undefined && !EMAIL.test(contact.EmailAddress)) errors.push(EMAIL_INVALID);
  for (const [name, max] of MAX_LENGTHS) {
    const value = contact[name];
    if (typeof value === 'string' && value.length > max) errors.push(`${name} must not exceed ${max} characters.`);
  }
  for (const name of ['AccountsReceivableTaxType', 'AccountsPayableTaxType'] as const) {
    const taxType = contact[name];
    if (taxType !== undefined && !books.taxRates.some((t) => t.TaxType === taxType && t.Status === 'ACTIVE')) {
      errors.push(`The TaxType code ${taxType} does not exist or cannot be used for this type of transaction.`);
    }
  }
  if (contact.DefaultCurrency !== undefined && !books.org.currencies.includes(contact.DefaultCurrency)) {
    errors.push(`Organisation is not subscribed to currency ${contact.DefaultCurrency}`);
  }
  return errors;
}

/**
 * Saves one contact element. `mode` is how it arrived: PUT only creates; POST updates the contact it
 * names (ContactID or ContactNumber) or creates; `update` is POST /Contacts/{id}.
 */
export function saveContact(ctx: BooksContext, input: Json, mode: 'create' | 'upsert' | { updateId: string }): ElementResult {
  const { books } = ctx;
  let existing: Contact | undefined;
  if (typeof mode === 'object') {
    existing = books.contacts.get(mode.updateId.toLowerCase());
  } else if (mode === 'upsert') {
    const matched = matchContact(books, input);
    if (matched === 'unknown-id') {
      return { element: renderContact(books, { ...merge(input, undefined), ContactID: ZERO_GUID }), errors: ['The document with the supplied id was not found for this endpoint.'] };
    }
    existing = matched;
  }
  const candidate = merge(input, existing);
  const limited = existing ? undefined : contactLimitProblem(books);
  const errors = limited ? [limited] : contactErrors(books, candidate);
  // A failed element is the contact as it would have been saved: defaults filled in, the zero Guid when new.
  if (errors.length > 0) return { element: renderContact(books, existing ? candidate : { ...candidate, ContactID: ZERO_GUID }), errors };
  candidate.updatedAt = touch(ctx, existing?.updatedAt);
  books.contacts.set(candidate.ContactID, candidate);
  change(ctx, 'CONTACT', existing ? 'UPDATE' : 'CREATE', candidate.ContactID);
  return { element: renderContact(books, candidate), errors: [] };
}

/** Finds the contact an invoice names, or creates it from the name, as Xero does. */
export function contactForDocument(ctx: BooksContext, input: Json | undefined): { contact?: Contact; error?: string } {
  const missing = 'The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber';
  if (!input) return { error: 'A Contact must be specified for this type of transaction' };
  const id = text(input, 'ContactID');
  if (id && id !== ZERO_GUID) {
    const contact = ctx.books.contacts.get(id.toLowerCase());
    return contact ? { contact } : { error: 'Contact could not be found: the ContactID is not valid for this organisation.' };
  }
  const number = text(input, 'ContactNumber');
  if (number) {
    const contact = findByNumber(ctx.books, number);
    if (contact) return { contact };
  }
  const name = text(input, 'Name');
  if (!name || name.trim() === '') return { error: missing };
  const byName = findActiveByName(ctx.books, name);
  if (byName) return { contact: byName };
  const created = saveContact(ctx, input, 'create');
  if (created.errors.length > 0) return { error: created.errors[0] };
  return { contact: ctx.books.contacts.get(String(created.element['ContactID'])) };
}

function hasDocuments(books: Books, contactId: string, type: 'ACCREC' | 'ACCPAY'): boolean {
  return books.invoices.findFirst('contact', contactId, (inv) => inv.Type === type && inv.Status !== 'DELETED') !== undefined;
}

export function renderContact(books: Books, c: Contact): Record<string, unknown> {
  return compact({
    ContactID: c.ContactID,
    ContactNumber: c.ContactNumber,
    AccountNumber: c.AccountNumber,
    ContactStatus: c.ContactStatus,
    Name: c.Name,
    FirstName: c.FirstName,
    LastName: c.LastName,
    EmailAddress: c.EmailAddress,
    CompanyNumber: c.CompanyNumber,
    BankAccountDetails: c.BankAccountDetails,
    TaxNumber: c.TaxNumber,
    AccountsReceivableTaxType: c.AccountsReceivableTaxType,
    AccountsPayableTaxType: c.AccountsPayableTaxType,
    DefaultCurrency: c.DefaultCurrency,
    Addresses: c.Addresses,
    Phones: c.Phones,
    // Never saved (a failed element): no UpdatedDateUTC.
    UpdatedDateUTC: c.updatedAt > 0 ? msDate(c.updatedAt) : undefined,
    ContactGroups: [],
    IsSupplier: hasDocuments(books, c.ContactID, 'ACCPAY'),
    IsCustomer: hasDocuments(books, c.ContactID, 'ACCREC'),
    ContactPersons: [],
    HasAttachments: false,
    HasValidationErrors: false,
  });
}

/**
 * The contact a document element names, as a failed element shows it: the stored contact when the element names
 * a known one, else what the element said (with the zero Guid when it gave no id).
 */
export function renderContactReference(books: Books, input: Json | undefined): Record<string, unknown> | undefined {
  if (!input) return undefined;
  const id = text(input, 'ContactID')?.toLowerCase();
  const number = text(input, 'ContactNumber');
  const name = text(input, 'Name');
  const known = (id ? books.contacts.get(id) : undefined) ?? (number ? findByNumber(books, number) : undefined) ?? (name ? findActiveByName(books, name) : undefined);
  if (known) return renderContactSummary(known, known.ContactID);
  return compact({
    ContactID: id ?? ZERO_GUID, ContactNumber: number, Name: name, EmailAddress: text(input, 'EmailAddress'),
    Addresses: [], Phones: [], ContactGroups: [], ContactPersons: [], HasValidationErrors: false,
  });
}

/** The short contact Xero embeds in invoices, payments and credit notes. */
export function renderContactSummary(c: Contact | undefined, contactId: string): Record<string, unknown> {
  return compact({
    ContactID: contactId,
    ContactNumber: c?.ContactNumber,
    ContactStatus: c?.ContactStatus,
    Name: c?.Name,
    EmailAddress: c?.EmailAddress,
    Addresses: [],
    Phones: [],
    ContactGroups: [],
    ContactPersons: [],
    HasValidationErrors: false,
  });
}

export const CONTACT_FIELDS: FieldMap<Contact> = {
  contactid: (c) => c.ContactID,
  name: (c) => c.Name,
  contactnumber: (c) => c.ContactNumber,
  accountnumber: (c) => c.AccountNumber,
  emailaddress: (c) => c.EmailAddress,
  firstname: (c) => c.FirstName,
  lastname: (c) => c.LastName,
  contactstatus: (c) => c.ContactStatus,
  taxnumber: (c) => c.TaxNumber,
  companynumber: (c) => c.CompanyNumber,
  updateddateutc: (c) => c.updatedAt,
  // IsCustomer / IsSupplier need the books; see contactFieldsFor.
};

export function contactFieldsFor(books: Books): FieldMap<Contact> {
  return {
    ...CONTACT_FIELDS,
    iscustomer: (c) => hasDocuments(books, c.ContactID, 'ACCREC'),
    issupplier: (c) => hasDocuments(books, c.ContactID, 'ACCPAY'),
  };
}

/** searchTerm: case-insensitive text search over Name, FirstName, LastName, ContactNumber and EmailAddress. */
export function matchesSearchTerm(c: Contact, term: string): boolean {
  const needle = term.toLowerCase();
  return [c.Name, c.FirstName, c.LastName, c.ContactNumber, c.EmailAddress].some((v) => v?.toLowerCase().includes(needle));
}


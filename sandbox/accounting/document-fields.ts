/** Reading the fields invoices and credit notes share: Type and Status (enums), and date-only fields. */
import { parseDateOnly } from '../xero-dates.ts';
import { DOCUMENT_STATUSES, type DocumentStatus } from './document-status.ts';
import { postDataInvalid } from './errors.ts';
import { text, type Json } from './fields.ts';

/** An enum value; one Xero's deserialiser does not know fails the whole body, as for any enum. */
export function readEnum<T extends string>(input: Json, name: string, allowed: readonly T[]): T | undefined {
  const value = text(input, name)?.toUpperCase();
  if (value === undefined || value === '') return undefined;
  if (!allowed.includes(value as T)) throw postDataInvalid(`Requested value '${text(input, name)}' was not found. Path '${name}'.`);
  return value as T;
}

export function readStatus(input: Json): DocumentStatus | undefined {
  return readEnum(input, 'Status', DOCUMENT_STATUSES);
}

/** A date-only field; one that is not a date is a validation error on the element. */
export function readDate(input: Json, name: string, errors: string[]): string | undefined {
  const raw = text(input, name);
  if (raw === undefined || raw === '') return undefined;
  const parsed = parseDateOnly(raw);
  if (!parsed) errors.push(`${name} must be a valid date.`);
  return parsed;
}

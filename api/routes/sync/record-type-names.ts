/**
 * The record types as the admin guide writes them (`contacts`, `invoices`, `payments`, `expenses`), with
 * the singular names the API answered with first still accepted. Answers use the guide's plural names.
 */
import { z } from 'zod';
import { recordTypes, type RecordType } from '../../../db/schema/index.ts';

export const SYNC_TYPE_NAMES = {
  contact: 'contacts',
  invoice: 'invoices',
  payment: 'payments',
  expense: 'expenses',
  credit_note: 'credit_notes',
  credit_allocation: 'credit_allocations',
  credit_refund: 'credit_refunds',
} as const satisfies Record<RecordType, string>;
export type SyncTypeName = (typeof SYNC_TYPE_NAMES)[RecordType];

const byName = new Map<string, RecordType>(recordTypes.flatMap((t) => [[t, t] as const, [SYNC_TYPE_NAMES[t], t] as const]));
const accepted = [...byName.keys()].sort();

/** `contacts` or `contact` (and so on), read as the record type; an enum, so the OpenAPI document lists the names. */
export const syncTypeName = z
  .enum(accepted as [string, ...string[]], { message: `expected one of ${Object.values(SYNC_TYPE_NAMES).join(', ')} (or the singular)` })
  .transform((name) => byName.get(name)!);

export const syncTypeNameOf = (type: RecordType): SyncTypeName => SYNC_TYPE_NAMES[type];

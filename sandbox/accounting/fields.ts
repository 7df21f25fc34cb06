/** Reading the loosely typed JSON a client sends into the sandbox's records. */
import { readNumber } from '../money.ts';
import { postDataInvalid } from './errors.ts';

export type Json = Record<string, unknown>;

/** A field by name, without regard to case (Xero's deserialiser is case-insensitive). */
export function field(input: Json, name: string): unknown {
  if (name in input) return input[name];
  const key = Object.keys(input).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : input[key];
}

export function has(input: Json, name: string): boolean {
  return field(input, name) !== undefined;
}

/** A string field; numbers are accepted and converted, as .NET does. */
export function text(input: Json, name: string): string | undefined {
  const value = field(input, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw postDataInvalid(`Error converting value to type 'System.String'. Path '${name}'.`);
}

export function number(input: Json, name: string): number | undefined {
  const value = readNumber(field(input, name));
  if (value === 'invalid') throw postDataInvalid(`Error converting value ${JSON.stringify(field(input, name))} to type 'System.Decimal'. Path '${name}'.`);
  return value;
}

export function bool(input: Json, name: string): boolean | undefined {
  const value = field(input, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw postDataInvalid(`Error converting value ${JSON.stringify(value)} to type 'System.Boolean'. Path '${name}'.`);
}

export function object(input: Json, name: string): Json | undefined {
  const value = field(input, name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object' && !Array.isArray(value)) return value as Json;
  throw postDataInvalid(`Unexpected value for '${name}'.`);
}

export function array(input: Json, name: string): Json[] | undefined {
  const value = field(input, name);
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw postDataInvalid(`Cannot deserialize the current JSON object into an array. Path '${name}'.`);
  return value.filter((x): x is Json => !!x && typeof x === 'object');
}

/** Drops undefined members so responses omit fields Xero would leave out. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isGuid(value: unknown): boolean {
  return typeof value === 'string' && GUID.test(value);
}

/** A Guid field, lower-cased; Xero's deserialiser refuses the whole body when one is not a Guid. */
export function guid(input: Json, name: string): string | undefined {
  const value = text(input, name)?.trim();
  if (value === undefined || value === '') return undefined;
  if (!isGuid(value)) throw postDataInvalid(`Error converting value ${JSON.stringify(value)} to type 'System.Guid'. Path '${name}'.`);
  return value.toLowerCase();
}

/**
 * Xero's wire shape (PascalCase JSON) for the batch pushes, built and read without xero-node's
 * `ObjectSerializer`. Its `serialize` and `deserialize` walk every attribute a model declares (sixty-odd for
 * a Contact, again for the Contact inside each Invoice) and build an `Object.entries` array per object: for 50
 * records a call that was most of what the worker allocated. Here only the keys an element actually carries
 * are converted (request), and only the fields the caller names are read back (answer), with xero-node's own
 * attribute maps, so the names, the nesting and the values (dates, enums, `Array<string>` joined) are the ones
 * xero-node would have sent and given. The request still goes out through xero-node (wire-call.ts).
 */
import * as accounting from 'xero-node';

interface Attribute {
  name: string;
  baseName: string;
  type: string;
}

interface ModelMaps {
  /** camelCase model name → the attribute. */
  byName: Map<string, Attribute>;
  /** PascalCase wire name → the attribute. */
  byBaseName: Map<string, Attribute>;
}

type ModelClass = { getAttributeTypeMap(): Attribute[] };

const maps = new Map<string, ModelMaps | undefined>();

/** xero-node's attribute maps of one accounting model; undefined for primitives and enums (kept as they are). */
function mapsOf(type: string): ModelMaps | undefined {
  if (maps.has(type)) return maps.get(type);
  const model = (accounting as unknown as Record<string, ModelClass | undefined>)[type];
  const attributes = typeof model?.getAttributeTypeMap === 'function' ? model.getAttributeTypeMap() : undefined;
  const compiled = attributes && {
    byName: new Map(attributes.map((a) => [a.name, a])),
    byBaseName: new Map(attributes.map((a) => [a.baseName, a])),
  };
  maps.set(type, compiled);
  return compiled;
}

function arrayItemType(type: string): string | undefined {
  return type.startsWith('Array<') ? type.slice('Array<'.length, -1) : undefined;
}

/**
 * A xero-node model object (camelCase, as our mapping builds it) in Xero's wire shape. Keys the model does
 * not declare are dropped, as xero-node drops them.
 */
export function toWire(value: unknown, type: string): unknown {
  if (value === undefined || value === null) return value;
  const itemType = arrayItemType(type);
  if (itemType !== undefined) {
    const items = (value as unknown[]).map((item) => toWire(item, itemType));
    return itemType === 'string' ? items.join(',') : items;
  }
  if (type === 'Date') return (value as Date).toISOString();
  const model = mapsOf(type);
  if (!model) return value;
  const wire: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    const attribute = model.byName.get(key);
    if (attribute && field !== undefined) wire[attribute.baseName] = toWire(field, attribute.type);
  }
  return wire;
}

/**
 * Part of Xero's answer (wire shape) as a xero-node model object: only the `fields` named (camelCase) are
 * read, each converted as xero-node converts it (nested models whole, `/Date(…)/` strings to dates).
 */
export function fromWire<T>(data: unknown, type: string, fields: readonly string[]): T {
  const model = mapsOf(type);
  if (!model || data === undefined || data === null || typeof data !== 'object') return data as T;
  const out: Record<string, unknown> = {};
  for (const name of fields) {
    const attribute = model.byName.get(name);
    if (!attribute) throw new Error(`xero-node's ${type} has no field ${name}`);
    const field = (data as Record<string, unknown>)[attribute.baseName];
    if (field !== undefined) out[name] = readValue(field, attribute.type);
  }
  return out as T;
}

/** A whole value of Xero's answer, the way `ObjectSerializer.deserialize` reads it. */
function readValue(data: unknown, type: string): unknown {
  if (data === undefined || data === null) return data;
  const itemType = arrayItemType(type);
  if (itemType !== undefined) return (data as unknown[]).map((item) => readValue(item, itemType));
  if (type === 'Date') return xeroDate(data);
  if (type === 'string') return typeof data === 'string' && data.startsWith('/Date(') ? xeroDate(data) : data;
  const model = mapsOf(type);
  if (!model) return data;
  const out: Record<string, unknown> = {};
  for (const [baseName, field] of Object.entries(data as Record<string, unknown>)) {
    const attribute = model.byBaseName.get(baseName);
    if (attribute) out[attribute.name] = readValue(field, attribute.type);
  }
  return out;
}

/** Xero's dates: ISO text, or Microsoft's `/Date(1573755038314+0000)/`. */
function xeroDate(data: unknown): Date {
  const date = new Date(data as string);
  if (!Number.isNaN(date.getTime())) return date;
  return new Date(Number.parseInt(/-?\d+/.exec(String(data))![0], 10));
}

/** The elements of a batch answer (`{"Contacts": [...]}`), as Xero sent them. */
export function wireElements(body: unknown, listBaseName: string): unknown[] {
  const list = body && typeof body === 'object' ? (body as Record<string, unknown>)[listBaseName] : undefined;
  return Array.isArray(list) ? list : [];
}

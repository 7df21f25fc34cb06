/**
 * Webhook deliveries no one holding Xero's key sent: the kinds an attacker (or a broken proxy) produces.
 * Each must be answered 401 with an empty body and store nothing. Shared by `npm run bench:webhooks --
 * --hostile` (10,000 of them) and the suite (a few of each).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export interface HostileDelivery {
  kind: string;
  body: Buffer;
  headers: Record<string, string>;
}

export const HOSTILE_KINDS = [
  'no signature',
  'empty signature',
  'signed with another key',
  'signature truncated',
  'signature of another body (replayed onto this one)',
  'body truncated after signing',
  'malformed body',
  'oversized body',
  'compressed body',
  'garbage signature header (8 KB)',
] as const;

export type HostileKind = (typeof HOSTILE_KINDS)[number];

/** A delivery as Xero would send it for `tenantId` (one new event each time). */
export function xeroDeliveryBody(tenantId: string): Buffer {
  const resourceId = randomUUID();
  const event = {
    resourceUrl: `https://api.xero.com/api.xro/2.0/Invoices/${resourceId}`,
    resourceId,
    tenantId,
    tenantType: 'ORGANISATION',
    eventCategory: 'INVOICE',
    eventType: 'UPDATE',
    eventDateUtc: new Date().toISOString().slice(0, -1),
  };
  return Buffer.from(JSON.stringify({ events: [event], firstEventSequence: 1, lastEventSequence: 1, entropy: randomUUID().slice(0, 20).toUpperCase() }));
}

export const signXero = (body: Buffer | string, key: string) => createHmac('sha256', key).update(body).digest('base64');

/** One hostile delivery of `kind`; `limitBytes` is the endpoint's body limit (WEBHOOK_BODY_LIMIT). */
export function hostileDelivery(kind: HostileKind, { key, tenantId, limitBytes }: { key: string; tenantId: string; limitBytes: number }): HostileDelivery {
  const body = xeroDeliveryBody(tenantId);
  const json = { 'content-type': 'application/json' };
  const otherKey = randomBytes(32).toString('base64');
  switch (kind) {
    case 'no signature':
      return { kind, body, headers: json };
    case 'empty signature':
      return { kind, body, headers: { ...json, 'x-xero-signature': '' } };
    case 'signed with another key':
      return { kind, body, headers: { ...json, 'x-xero-signature': signXero(body, otherKey) } };
    case 'signature truncated':
      return { kind, body, headers: { ...json, 'x-xero-signature': signXero(body, key).slice(0, 20) } };
    case 'signature of another body (replayed onto this one)':
      return { kind, body, headers: { ...json, 'x-xero-signature': signXero(xeroDeliveryBody(tenantId), key) } };
    case 'body truncated after signing':
      return { kind, body: body.subarray(0, Math.floor(body.length / 2)), headers: { ...json, 'x-xero-signature': signXero(body, key) } };
    case 'malformed body': {
      const garbage = Buffer.from(`{"events": [${'{'.repeat(200)}`);
      return { kind, body: garbage, headers: { ...json, 'x-xero-signature': signXero(garbage, otherKey) } };
    }
    case 'oversized body': {
      const big = Buffer.concat([body.subarray(0, body.length - 1), Buffer.from(`,"padding":"${'x'.repeat(limitBytes)}"}`)]);
      return { kind, body: big, headers: { ...json, 'x-xero-signature': signXero(big, otherKey) } };
    }
    case 'compressed body':
      return { kind, body: gzipSync(body), headers: { ...json, 'content-encoding': 'gzip', 'x-xero-signature': signXero(body, key) } };
    case 'garbage signature header (8 KB)':
      return { kind, body, headers: { ...json, 'x-xero-signature': randomBytes(6_000).toString('base64') } };
  }
}

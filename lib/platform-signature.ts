/**
 * How xero-sync signs the events it POSTs to the main app (PLATFORM_WEBHOOK_URL), and how the main app
 * checks them. This file depends on node:crypto only, so the main app can copy it as it is.
 *
 * The scheme (v1):
 *   X-XeroSync-Event-Id:   the event's id (a UUID; the same on every retry: dedupe on it)
 *   X-XeroSync-Event-Type: e.g. invoice.paid (also in the body)
 *   X-XeroSync-Timestamp:  Unix time in seconds when this delivery attempt was signed
 *   X-XeroSync-Signature:  v1=<hex HMAC-SHA256(key = PLATFORM_WEBHOOK_SECRET, message = timestamp + "." + raw body)>
 *                          (several comma-separated v1= values may appear while the secret is rotated:
 *                          accept the request when any of them matches)
 *   body (application/json): {"id","type","orgId","occurredAt","data"}
 *
 * To verify: take the raw body bytes exactly as received (before any JSON parsing), recompute the HMAC
 * over `${timestamp}.${body}`, compare in constant time, and refuse timestamps more than 5 minutes from
 * your clock (a captured request cannot be replayed later). Delivery is at least once and in order per
 * record: answer 2xx once the event is stored; the same id may arrive again after a timeout.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const PLATFORM_SIGNATURE_HEADERS = {
  eventId: 'X-XeroSync-Event-Id',
  eventType: 'X-XeroSync-Event-Type',
  timestamp: 'X-XeroSync-Timestamp',
  signature: 'X-XeroSync-Signature',
} as const;

const DEFAULT_TOLERANCE_SECONDS = 300;

function v1Digest(secret: string, timestamp: string, body: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** The header value for one delivery attempt: `v1=<hex>`. */
export function signPlatformEvent({ secret, timestamp, body }: { secret: string; timestamp: string; body: string | Buffer }): string {
  return `v1=${v1Digest(secret, timestamp, body).toString('hex')}`;
}

export interface VerifyPlatformSignatureInput {
  secret: string;
  /** The raw request body, exactly as received. */
  body: string | Buffer;
  /** The X-XeroSync-Timestamp header. */
  timestamp: string | undefined | null;
  /** The X-XeroSync-Signature header. */
  signature: string | undefined | null;
  toleranceSeconds?: number;
  /** Current Unix time in seconds (for tests); defaults to the clock. */
  nowSeconds?: number;
}

/** True when the request was signed with `secret` over this timestamp and body, within the tolerance. */
export function verifyPlatformSignature(input: VerifyPlatformSignatureInput): boolean {
  const { secret, body, timestamp, signature } = input;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const expected = v1Digest(secret, timestamp, body);
  let matched = false;
  for (const part of signature.split(',')) {
    const [scheme, hex] = part.trim().split('=', 2);
    if (scheme !== 'v1' || !hex || !/^[0-9a-f]{64}$/i.test(hex)) continue;
    // Same-length buffers (32 bytes), so timingSafeEqual never throws; check every value, no early exit.
    if (timingSafeEqual(expected, Buffer.from(hex, 'hex'))) matched = true;
  }
  return matched;
}

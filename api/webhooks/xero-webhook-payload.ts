/**
 * The shape of a Xero webhook delivery (openapi/xero-webhooks.yaml `WebhookEvent`), checked after the
 * signature. Only what we rely on is required: Xero adds fields (`data` on credit-note events) and its
 * intent-to-receive payloads carry `firstEventSequence: 0` although the spec says minimum 1, and a
 * delivery we refuse is retried for 24 hours and then gets the subscription disabled.
 */
import { z } from 'zod';
import type { NewWebhookEvent } from '../../db/queries/webhook-events.ts';

export const xeroWebhookEventSchema = z.object({
  resourceUrl: z.string().min(1).max(2048),
  resourceId: z.string().min(1).max(100),
  // Xero sends UTC without an offset ("2025-12-02T00:44:09.923"); accept Z or an offset too.
  eventDateUtc: z.iso.datetime({ local: true, offset: true }),
  // CREATE / UPDATE and CONTACT / INVOICE / CREDITNOTE / SUBSCRIPTION today; the workflow ignores what it
  // does not handle, so a new value Xero introduces is stored rather than answered 400.
  eventType: z.string().min(1).max(50),
  eventCategory: z.string().min(1).max(50),
  tenantId: z.string().min(1).max(100),
  tenantType: z.string().min(1).max(50),
});

export const xeroWebhookPayloadSchema = z.object({
  events: z.array(z.unknown()),
  firstEventSequence: z.number().int().optional(),
  lastEventSequence: z.number().int().optional(),
  entropy: z.string().optional(),
});

export type XeroWebhookEvent = NewWebhookEvent;

export type ParsedXeroWebhook = { ok: true; events: XeroWebhookEvent[] } | { ok: false; reason: 'malformed_json' | 'invalid_shape' };

const HAS_OFFSET = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;

export function parseXeroWebhook(rawBody: Buffer): ParsedXeroWebhook {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed_json' };
  }
  // Stored as jsonb, which cannot hold U+0000: Xero never sends one, and a delivery that does is not Xero's.
  if (JSON.stringify(json).includes('\\u0000')) return { ok: false, reason: 'invalid_shape' };
  const payload = xeroWebhookPayloadSchema.safeParse(json);
  if (!payload.success) return { ok: false, reason: 'invalid_shape' };
  const events: XeroWebhookEvent[] = [];
  for (const raw of payload.data.events) {
    const event = xeroWebhookEventSchema.safeParse(raw);
    if (!event.success) return { ok: false, reason: 'invalid_shape' };
    const { eventDateUtc } = event.data;
    const given = HAS_OFFSET.test(eventDateUtc) ? eventDateUtc : `${eventDateUtc}Z`;
    if (!isCalendarDate(given)) return { ok: false, reason: 'invalid_shape' };
    // As UTC: Postgres refuses offsets beyond ±15:59 (and year 0), which the format allows; one bad event would fail the whole delivery.
    const at = new Date(given);
    if (at.getUTCFullYear() < 1) return { ok: false, reason: 'invalid_shape' };
    const utc = at.toISOString();
    events.push({
      tenantId: event.data.tenantId,
      resourceId: event.data.resourceId,
      eventCategory: event.data.eventCategory,
      eventType: event.data.eventType,
      eventDateUtc: utc,
      resourceUrl: event.data.resourceUrl,
      raw,
    });
  }
  return { ok: true, events };
}

/** The format check accepts 2025-02-30; Postgres would refuse it and fail the whole batch, so refuse it here. */
function isCalendarDate(iso: string): boolean {
  const [year, month, day] = iso.slice(0, 10).split('-').map(Number) as [number, number, number];
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate() && !Number.isNaN(Date.parse(iso));
}

/** Xero's webhook deliveries: signed over the raw bytes, answered with empty bodies (Xero's rules). */
import { xeroWebhookEventSchema, xeroWebhookPayloadSchema } from '../../webhooks/xero-webhook-payload.ts';
import { toJsonSchema } from '../document.ts';
import type { JsonSchema, RouteDoc } from '../route-doc.ts';

/** The delivery as the route checks it: the envelope, then each event. */
function delivery(): JsonSchema {
  const envelope = toJsonSchema(xeroWebhookPayloadSchema, 'input') as JsonSchema & { properties: Record<string, JsonSchema> };
  return { ...envelope, properties: { ...envelope.properties, events: { type: 'array', items: toJsonSchema(xeroWebhookEventSchema, 'input') } } };
}

export function webhookRoutes({ webhookPath }: { webhookPath: string }): RouteDoc[] {
  return [
    {
      method: 'post',
      path: webhookPath,
      operationId: 'receiveXeroWebhook',
      summary: "Xero's webhook deliveries (WEBHOOK_PATH)",
      description:
        "Every event is committed (deduplicated) before the 200, and the owning organisations' workflows are told without waiting for Temporal. Intent-to-receive deliveries (`events: []`) store nothing. Every answer has an empty body.",
      tag: 'webhooks',
      auth: 'xero-signature',
      body: { schema: { jsonSchema: delivery() }, description: 'Signed over these exact bytes: any content type is accepted as is.' },
      responses: {
        200: { description: 'Correctly signed: stored' },
        400: { description: 'Correctly signed, but not JSON or not the shape of a Xero delivery (or the body was cut short)' },
        401: { description: 'Signature missing or wrong (also when XERO_WEBHOOK_KEY is not set), or a body that cannot be checked: over WEBHOOK_BODY_LIMIT, or compressed' },
        500: { description: 'The database failed: Xero delivers again' },
        503: { description: 'The database is unavailable: Xero delivers again' },
      },
    },
  ];
}

/**
 * What a Xero webhook delivery gets, apart from HTTP: verify the signature over the raw bytes, check the
 * shape, store the events (deduplicated, committed before the answer), then signal the owning workflows
 * without waiting for Temporal. The Express route is a thin adapter around this.
 */
import type { Logger } from '../../config/logger.ts';
import type { Db } from '../../db/client.ts';
import type { StoredWebhookEvent } from '../../db/queries/webhook-events.ts';
import type { OrgWorkflows } from '../../workflows/client/org-workflows.ts';
import type { WebhookMetrics } from '../../metrics/webhooks.ts';
import { WebhookEventWriter } from './webhook-event-writer.ts';
import { createXeroEventNotifier } from './xero-event-notifier.ts';
import { isValidXeroSignature } from './xero-signature.ts';
import { parseXeroWebhook } from './xero-webhook-payload.ts';

export interface XeroWebhookReceiverDeps {
  db: Db;
  workflows: Pick<OrgWorkflows, 'notifyXeroEvents'>;
  logger: Logger;
  /** XERO_WEBHOOK_KEY. Without it every delivery is refused with 401: nothing can be verified. */
  key: string | undefined;
  metrics?: Pick<WebhookMetrics, 'eventsStored'>;
}

/** 200 stored (or nothing to store), 401 bad signature, 400 signed but not a Xero delivery. Rejects if the database fails. */
export type XeroWebhookOutcome = 200 | 400 | 401;

export function createXeroWebhookReceiver({ db, workflows, logger, key, metrics }: XeroWebhookReceiverDeps) {
  const notifier = createXeroEventNotifier({ db, workflows, logger });
  const writer = new WebhookEventWriter({
    db,
    onStored: (rows) => {
      metrics?.eventsStored(rows.length);
      notifier.notify(rows);
      reportUnowned(logger, rows);
    },
  });

  return async function receiveXeroWebhook(rawBody: Buffer, signature: string | undefined): Promise<XeroWebhookOutcome> {
    if (!key || !isValidXeroSignature(rawBody, signature, key)) return 401;
    const delivery = parseXeroWebhook(rawBody);
    if (!delivery.ok) {
      logger.warn({ reason: delivery.reason, bytes: rawBody.length }, 'signed Xero webhook refused: not a Xero delivery');
      return 400;
    }
    await writer.store(delivery.events);
    return 200;
  };
}

/** Events for a tenant no live connection owns are kept (org_id null) and reported here, not failed. */
function reportUnowned(logger: Logger, rows: StoredWebhookEvent[]): void {
  let unowned: Map<string, number> | undefined;
  for (const row of rows) {
    if (row.orgId !== null) continue;
    unowned ??= new Map();
    unowned.set(row.tenantId, (unowned.get(row.tenantId) ?? 0) + 1);
  }
  if (unowned) {
    logger.warn({ tenants: Object.fromEntries(unowned) }, 'webhook events stored for a Xero tenant no organisation owns (kept with org_id null)');
  }
}

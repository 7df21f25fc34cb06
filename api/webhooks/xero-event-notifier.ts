/**
 * Tells organisations' workflows about newly stored webhook events, without the HTTP answer waiting for
 * Temporal: Xero wants its 200 within 5 seconds whatever state Temporal is in, and the events are already
 * committed, so a signal that fails loses nothing (the relay re-sends rows left with signalled_at null).
 *
 * Bounded whatever the load or the outage: at most one signal in flight per organisation (events arriving
 * meanwhile ride on the next one), at most `maxInFlight` organisations at once, and after a failure the
 * API stops trying for `cooldownMs` and leaves the work to the relay instead of queueing calls to a dead server.
 */
import type { Logger } from '../../config/logger.ts';
import type { DbOrTx } from '../../db/client.ts';
import { markWebhookEventsSignalled, type StoredWebhookEvent } from '../../db/queries/webhook-events.ts';
import type { OrgWorkflows } from '../../workflows/client/org-workflows.ts';

export interface XeroEventNotifierOptions {
  db: DbOrTx;
  workflows: Pick<OrgWorkflows, 'notifyXeroEvents'>;
  logger: Logger;
  maxInFlight?: number;
  cooldownMs?: number;
}

export interface XeroEventNotifier {
  notify(rows: StoredWebhookEvent[]): void;
}

/** While one signal is stuck (Temporal slow or away), events for that organisation wait up to this many. */
const MAX_WAITING_PER_ORG = 10_000;

export function createXeroEventNotifier({ db, workflows, logger, maxInFlight = 32, cooldownMs = 5_000 }: XeroEventNotifierOptions): XeroEventNotifier {
  const waiting = new Map<string, number[]>();
  const inFlight = new Set<string>();
  let pausedUntil = 0;

  // Signalled ids are recorded in ONE update for every signal that completed meanwhile, not one per signal.
  const toMark: number[] = [];
  let marking: Promise<void> | undefined;
  const recordSignalled = (ids: number[]): void => {
    for (const id of ids) toMark.push(id);
    if (marking) return;
    const batch = toMark.splice(0, toMark.length);
    marking = markWebhookEventsSignalled(db, { ids: batch })
      .catch((err: unknown) => logger.error({ err, events: batch.length }, 'could not record webhook events as signalled; the relay will re-signal them'))
      .finally(() => {
        marking = undefined;
        if (toMark.length > 0) recordSignalled([]);
      });
  };

  const send = (orgId: string): void => {
    const ids = waiting.get(orgId);
    if (!ids || inFlight.has(orgId)) return; // the signal in flight picks these up when it ends
    waiting.delete(orgId);
    if (Date.now() < pausedUntil || inFlight.size >= maxInFlight) return; // the relay will send it
    inFlight.add(orgId);
    void workflows
      .notifyXeroEvents(orgId)
      .then(
        () => recordSignalled(ids),
        (err: unknown) => {
          pausedUntil = Date.now() + cooldownMs;
          logger.warn({ err, orgId, events: ids.length }, 'could not signal the organisation workflow; the relay will retry');
        },
      )
      .finally(() => {
        inFlight.delete(orgId);
        send(orgId);
      });
  };

  return {
    notify(rows) {
      for (const row of rows) {
        if (row.orgId === null) continue;
        const ids = waiting.get(row.orgId);
        if (!ids) waiting.set(row.orgId, [row.id]);
        else if (ids.length < MAX_WAITING_PER_ORG) ids.push(row.id); // beyond: left unsignalled for the relay
      }
      for (const orgId of new Set(rows.map((r) => r.orgId))) if (orgId !== null) send(orgId);
    },
  };
}

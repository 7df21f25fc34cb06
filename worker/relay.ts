/**
 * The relay: nothing stored is lost when Temporal was away. Runs in the worker process, every few seconds:
 *  1. gives unowned webhook events to the organisation that now owns their tenant (connection made after
 *     the event arrived);
 *  2. re-signals `xeroEvents` for webhook events still unsignalled after `freshEventGraceMs` (the API's
 *     own signal failed or was skipped), locking its batch FOR UPDATE SKIP LOCKED so several workers
 *     share the work instead of repeating it, and marks them signalled;
 *  3. every `stalePendingSweepEveryMs`, sends `wake` to organisations whose pending records have not been
 *     attempted since they changed `stalePendingAfterMs` ago (their wake was lost).
 * Signals are idempotent wake-ups (the database is the work list), so a signal sent twice is harmless.
 */
import type { Logger } from '../config/logger.ts';
import type { Db } from '../db/client.ts';
import { adoptUnownedWebhookEvents, lockUnsignalledWebhookEvents, markWebhookEventsSignalled } from '../db/queries/webhook-events.ts';
import type { OrgWorkflows } from '../workflows/client/org-workflows.ts';
import { listOrgsWithStalePendingWork, tryLockStalePendingSweep } from '../db/queries/stale-pending.ts';
import { startPollingLoop, type PollingLoop } from './relay-loop.ts';

export interface XeroEventRelayOptions {
  db: Db;
  workflows: Pick<OrgWorkflows, 'notifyXeroEvents' | 'wake'>;
  logger: Logger;
  intervalMs?: number;
  /** Webhook events per pass. */
  batchSize?: number;
  /** Rows younger than this are left to the API's own signal. */
  freshEventGraceMs?: number;
  /** A signal not answered by then counts as failed (it is retried next pass). */
  signalTimeoutMs?: number;
  /** Signals in flight at once. */
  signalConcurrency?: number;
  stalePendingAfterMs?: number;
  stalePendingSweepEveryMs?: number;
  /** An organisation already woken for the same pending work is not woken again before this. */
  staleRewakeAfterMs?: number;
  /** Unowned events younger than this are adopted by a connection made since. */
  adoptWithinMs?: number;
}

export interface RelayPassSummary {
  adopted: number;
  signalledOrgs: number;
  signalledEvents: number;
  failedOrgs: number;
  wokenOrgs: number;
  /** The batch was full: there may be more. */
  more: boolean;
}

export class XeroEventRelay {
  private loop: PollingLoop | undefined;
  private lastSweepAt = 0;
  /** orgId → the newest pending change it was woken for, and when. */
  private readonly woken = new Map<string, { newestChange: string; at: number }>();
  private readonly o: Required<Omit<XeroEventRelayOptions, 'db' | 'workflows' | 'logger'>>;

  constructor(private readonly options: XeroEventRelayOptions) {
    this.o = {
      intervalMs: options.intervalMs ?? 5_000,
      batchSize: options.batchSize ?? 500,
      freshEventGraceMs: options.freshEventGraceMs ?? 5_000,
      signalTimeoutMs: options.signalTimeoutMs ?? 5_000,
      signalConcurrency: options.signalConcurrency ?? 8,
      stalePendingAfterMs: options.stalePendingAfterMs ?? 30_000,
      stalePendingSweepEveryMs: options.stalePendingSweepEveryMs ?? 30_000,
      staleRewakeAfterMs: options.staleRewakeAfterMs ?? 10 * 60_000,
      adoptWithinMs: options.adoptWithinMs ?? 24 * 60 * 60_000,
    };
  }

  start(): void {
    this.loop ??= startPollingLoop({
      name: 'relay',
      intervalMs: this.o.intervalMs,
      logger: this.options.logger,
      pass: async () => (await this.runOnce()).more,
    });
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
    this.loop = undefined;
  }

  async runOnce(): Promise<RelayPassSummary> {
    const { db, logger } = this.options;
    const adopted = await adoptUnownedWebhookEvents(db, { withinMs: this.o.adoptWithinMs });
    const events = await this.resignalWebhookEvents();
    const wokenOrgs = await this.wakeStalePending();
    const summary: RelayPassSummary = { adopted, ...events, wokenOrgs };
    if (adopted + events.signalledOrgs + events.failedOrgs + wokenOrgs > 0) logger.info(summary, 'relay pass');
    return summary;
  }

  private async resignalWebhookEvents(): Promise<Omit<RelayPassSummary, 'adopted' | 'wokenOrgs'>> {
    return this.options.db.transaction(async (tx) => {
      const rows = await lockUnsignalledWebhookEvents(tx, { olderThanMs: this.o.freshEventGraceMs, limit: this.o.batchSize });
      const idsByOrg = new Map<string, number[]>();
      for (const { id, orgId } of rows) idsByOrg.set(orgId, [...(idsByOrg.get(orgId) ?? []), id]);
      const { sent, failed } = await this.signalEach([...idsByOrg.keys()], (orgId) => this.options.workflows.notifyXeroEvents(orgId));
      const ids = sent.flatMap((orgId) => idsByOrg.get(orgId)!);
      await markWebhookEventsSignalled(tx, { ids });
      return { signalledOrgs: sent.length, signalledEvents: ids.length, failedOrgs: failed, more: rows.length >= this.o.batchSize && failed === 0 };
    });
  }

  private async wakeStalePending(): Promise<number> {
    const now = Date.now();
    if (now - this.lastSweepAt < this.o.stalePendingSweepEveryMs) return 0;
    this.lastSweepAt = now;
    for (const [orgId, w] of this.woken) if (now - w.at > this.o.staleRewakeAfterMs) this.woken.delete(orgId);
    return this.options.db.transaction(async (tx) => {
      if (!(await tryLockStalePendingSweep(tx))) return 0; // another worker is sweeping
      const stale = await listOrgsWithStalePendingWork(tx, { olderThanMs: this.o.stalePendingAfterMs, limit: 100 });
      const due = stale.filter(({ orgId, newestChange }) => this.woken.get(orgId)?.newestChange !== newestChange);
      const { sent } = await this.signalEach(due.map((d) => d.orgId), (orgId) => this.options.workflows.wake(orgId));
      for (const { orgId, newestChange } of due) if (sent.includes(orgId)) this.woken.set(orgId, { newestChange, at: now });
      return sent.length;
    });
  }

  /** Signals each organisation, a few at a time; after the first failure (Temporal away) it starts no more. */
  private async signalEach(orgIds: string[], signal: (orgId: string) => Promise<void>): Promise<{ sent: string[]; failed: number }> {
    const sent: string[] = [];
    let failed = 0;
    let next = 0;
    const lane = async () => {
      while (next < orgIds.length && failed === 0) {
        const orgId = orgIds[next++]!;
        try {
          await withTimeout(signal(orgId), this.o.signalTimeoutMs);
          sent.push(orgId);
        } catch (err) {
          failed += 1;
          this.options.logger.warn({ err, orgId }, 'relay could not signal the organisation workflow; will retry next pass');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.signalConcurrency, orgIds.length) }, lane));
    return { sent, failed };
  }
}

class SignalTimeoutError extends Error {
  override name = 'SignalTimeoutError';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SignalTimeoutError(`no answer from Temporal within ${ms} ms`)), ms);
  });
  promise.catch(() => {}); // if the timeout wins, the late rejection is expected, not unhandled
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

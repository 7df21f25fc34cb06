/**
 * Delivers the outbox to the main app: POST PLATFORM_WEBHOOK_URL, signed (scheme in lib/platform-signature.ts),
 * at least once, in order per record, concurrently across records, safe with any number of workers. A record's
 * events follow one another in the lane that delivered the first, without waiting for the rest of the pass.
 *
 * A worker-process loop rather than a Temporal workflow: the outbox row already is the durable state
 * (attempts, next attempt, lease), so a workflow per event would only copy it into history, and ordering
 * per record is a property of the claim query, not of orchestration.
 */
import type { Logger } from '../config/logger.ts';
import type { DbOrTx } from '../db/client.ts';
import {
  claimDueOutboundEvents,
  countUndeliveredOutboundEvents,
  markOutboundEventDelivered,
  markOutboundEventFailed,
  OUTBOX_CHANNEL,
  type ClaimedOutboundEvent,
} from '../db/queries/outbound-events.ts';
import { PLATFORM_SIGNATURE_HEADERS, signPlatformEvent } from '../lib/platform-signature.ts';
import { startPollingLoop, type PollingLoop } from './relay-loop.ts';

export interface OutboxDispatcherOptions {
  db: DbOrTx;
  logger: Logger;
  /** PLATFORM_WEBHOOK_URL; unset: events stay queued. */
  url: string | undefined;
  /** PLATFORM_WEBHOOK_SECRET. */
  secret: string | undefined;
  pollMs?: number;
  /** Deliveries in flight at once (each to a different record). */
  concurrency?: number;
  batchSize?: number;
  requestTimeoutMs?: number;
  /** How long a claimed event is reserved for its dispatcher; must exceed requestTimeoutMs. */
  leaseMs?: number;
  /** First retry delay; doubles per attempt up to retryMaxMs (with ±20% jitter). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /**
   * Postgres LISTEN (postgres.js `sql.listen`): a pass starts as soon as an enqueuing transaction commits,
   * instead of at the next poll. The poll stays, for whatever a notification misses. `onListen` runs each time
   * the LISTEN takes effect, the first time and again after every reconnect (a database restart).
   */
  listen?: (channel: string, onNotify: () => void, onListen: () => void) => Promise<{ unlisten(): Promise<void> }>;
}

export interface DispatchSummary {
  claimed: number;
  delivered: number;
  failed: number;
}

export class OutboxDispatcher {
  private loop: PollingLoop | undefined;
  private listening: Promise<{ unlisten(): Promise<void> } | undefined> | undefined;
  private warnedUnconfigured = false;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly batchSize: number;
  private readonly requestTimeoutMs: number;
  private readonly leaseMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;

  constructor(private readonly options: OutboxDispatcherOptions) {
    this.pollMs = options.pollMs ?? 1_000;
    this.concurrency = options.concurrency ?? 8;
    this.batchSize = options.batchSize ?? 50;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.leaseMs = Math.max(options.leaseMs ?? 60_000, this.requestTimeoutMs * 2);
    this.retryBaseMs = options.retryBaseMs ?? 2_000;
    this.retryMaxMs = options.retryMaxMs ?? 60 * 60_000;
  }

  start(): void {
    this.loop ??= startPollingLoop({
      name: 'outbox',
      intervalMs: this.pollMs,
      logger: this.options.logger,
      // A full batch, or a delivery that may have unblocked the next event of its record: go again at once.
      pass: async () => {
        const summary = await this.dispatchOnce();
        return summary.claimed >= this.batchSize || summary.delivered > 0;
      },
    });
    if (this.options.listen && !this.listening) {
      const kick = () => this.loop?.kick();
      // An event committed while no LISTEN was in effect (before the first, or between a reconnect and the LISTEN
      // taken again) was announced to no one: a pass each time the LISTEN takes effect finds it.
      this.listening = this.options
        .listen(OUTBOX_CHANNEL, kick, kick)
        .catch((err: unknown) => {
          this.options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'outbox: cannot LISTEN for new events; polling only');
          return undefined;
        });
    }
  }

  async stop(): Promise<void> {
    const subscription = await this.listening;
    this.listening = undefined;
    await subscription?.unlisten().catch(() => {});
    await this.loop?.stop();
    this.loop = undefined;
  }

  /** One pass: claim what is due and heads its record, deliver it, record the outcome. */
  async dispatchOnce(): Promise<DispatchSummary> {
    const { db, logger, url, secret } = this.options;
    if (!url || !secret) {
      if (!this.warnedUnconfigured) {
        this.warnedUnconfigured = true;
        const queued = await countUndeliveredOutboundEvents(db);
        logger.warn({ queued }, 'PLATFORM_WEBHOOK_URL or PLATFORM_WEBHOOK_SECRET is not set: outbound events stay queued until both are');
      }
      return { claimed: 0, delivered: 0, failed: 0 };
    }
    const claimed = await claimDueOutboundEvents(db, { limit: this.batchSize, leaseMs: this.leaseMs });
    const summary: DispatchSummary = { claimed: claimed.length, delivered: 0, failed: 0 };
    let next = 0;
    const lane = async () => {
      while (next < claimed.length) {
        // Once an event is delivered, its record's next one (claimed as the head it now is) goes out in the same
        // lane, rather than waiting for every delivery of this pass to end and a new claim.
        for (let event: ClaimedOutboundEvent | undefined = claimed[next++]!; event; ) {
          const delivered = await this.deliver(event, url, secret);
          if (delivered) summary.delivered += 1;
          else summary.failed += 1;
          event = delivered && event.followed ? await this.claimNextOf(event) : undefined;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, claimed.length) }, lane));
    return summary;
  }

  /** The record's next event, if it is now its head and due (another dispatcher may have claimed it first). */
  private async claimNextOf(event: ClaimedOutboundEvent): Promise<ClaimedOutboundEvent | undefined> {
    const [nextOne] = await claimDueOutboundEvents(this.options.db, { limit: 1, leaseMs: this.leaseMs, record: { orgId: event.orgId, recordKey: event.recordKey } });
    return nextOne;
  }

  private async deliver(event: ClaimedOutboundEvent, url: string, secret: string): Promise<boolean> {
    const { db, logger } = this.options;
    const body = JSON.stringify({ id: event.id, type: event.type, orgId: event.orgId, occurredAt: event.createdAt, data: event.payload });
    const timestamp = String(Math.floor(Date.now() / 1000));
    let error: string;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [PLATFORM_SIGNATURE_HEADERS.eventId]: event.id,
          [PLATFORM_SIGNATURE_HEADERS.eventType]: event.type,
          [PLATFORM_SIGNATURE_HEADERS.timestamp]: timestamp,
          [PLATFORM_SIGNATURE_HEADERS.signature]: signPlatformEvent({ secret, timestamp, body }),
        },
        body,
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      await res.body?.cancel(); // the answer's body means nothing to us; free the connection
      if (res.ok) {
        await markOutboundEventDelivered(db, { seq: event.seq });
        return true;
      }
      error = `main app answered HTTP ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    const retryInMs = this.retryDelay(event.attempts);
    await markOutboundEventFailed(db, { seq: event.seq, attempts: event.attempts, retryInMs, error });
    logger.warn({ eventId: event.id, type: event.type, recordKey: event.recordKey, attempts: event.attempts, retryInMs, error }, 'outbound event not delivered; will retry');
    return false;
  }

  private retryDelay(attempts: number): number {
    const exponential = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** Math.min(attempts - 1, 30));
    return Math.round(exponential * (0.8 + Math.random() * 0.4));
  }
}

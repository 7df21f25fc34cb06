/**
 * Webhook deliveries, as Xero makes them: thin events (which record, what happened) gathered briefly into
 * one payload `{events, firstEventSequence, lastEventSequence, entropy}`, POSTed with
 * `x-xero-signature` = base64(HMAC-SHA256(raw body, webhook key)). Xero needs an answer within 5 seconds;
 * anything but a 2xx is retried later with growing gaps (bounded here), at least once overall.
 * Deliveries can be switched off to simulate missed webhooks.
 */
import { createHmac, randomInt } from 'node:crypto';
import type { ChangeEvent } from './events.ts';
import type { SandboxStore } from './store.ts';

export const RESPONSE_DEADLINE_MS = 5000;
export const DEFAULT_RETRY_DELAYS_MS = [10_000, 60_000, 300_000, 1_800_000, 7_200_000];

export interface WebhookEventBody {
  resourceUrl: string;
  resourceId: string;
  eventDateUtc: string;
  eventType: 'CREATE' | 'UPDATE';
  eventCategory: 'CONTACT' | 'INVOICE' | 'CREDITNOTE';
  tenantId: string;
  tenantType: 'ORGANISATION';
  data?: Record<string, unknown>;
}

export interface DeliveryAttempt {
  at: number;
  status?: number;
  error?: string;
  ms: number;
}

export interface Delivery {
  id: number;
  url: string;
  body: string;
  signature: string;
  events: WebhookEventBody[];
  attempts: DeliveryAttempt[];
  delivered: boolean;
  /** True once every retry failed. */
  abandoned: boolean;
}

export function sign(body: string | Buffer, key: string): string {
  return createHmac('sha256', key).update(body).digest('base64');
}

/** Xero's entropy: 20 random capital letters. */
export function entropy(): string {
  return Array.from({ length: 20 }, () => String.fromCharCode(65 + randomInt(26))).join('');
}

/** `2017-06-21T01:15:39.902`: Xero's event timestamps carry no zone. */
function eventDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '');
}

const RESOURCE: Record<WebhookEventBody['eventCategory'], string> = { CONTACT: 'Contacts', INVOICE: 'Invoices', CREDITNOTE: 'CreditNotes' };

export interface WebhookConfig {
  url?: string;
  key?: string;
  enabled: boolean;
  batchMs: number;
  retryDelaysMs: number[];
}

export class WebhookDispatcher {
  config: WebhookConfig;
  readonly deliveries: Delivery[] = [];
  /** Events not sent because deliveries were off or no URL was set. */
  dropped = 0;
  #queue: WebhookEventBody[] = [];
  #sequence = 0;
  #batchTimer: NodeJS.Timeout | undefined;
  #timers = new Set<NodeJS.Timeout>();
  #inFlight = new Set<Promise<void>>();
  #closed = false;
  #nextId = 1;

  constructor(private readonly store: SandboxStore, config: Partial<WebhookConfig> = {}, private readonly log: (line: string) => void = () => {}) {
    this.config = { enabled: true, batchMs: 250, retryDelaysMs: DEFAULT_RETRY_DELAYS_MS, ...config };
  }

  reset(): void {
    this.#queue = [];
    this.deliveries.length = 0;
    this.dropped = 0;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    if (this.#batchTimer) clearTimeout(this.#batchTimer);
    this.#batchTimer = undefined;
  }

  /** A record changed: queue its event. */
  record = (change: ChangeEvent): void => {
    if (this.#closed) return;
    if (!this.config.enabled || !this.config.url || !this.config.key) {
      this.dropped += 1;
      return;
    }
    const event: WebhookEventBody = {
      resourceUrl: `${this.store.baseUrl}/api.xro/2.0/${RESOURCE[change.category]}/${change.resourceId}`,
      resourceId: change.resourceId,
      eventDateUtc: eventDate(change.at),
      eventType: change.type,
      eventCategory: change.category,
      tenantId: change.tenantId,
      tenantType: 'ORGANISATION',
    };
    if (change.category === 'CREDITNOTE') {
      const note = this.store.books.get(change.tenantId)?.creditNotes.get(change.resourceId);
      if (note) event.data = { Type: note.Type, Status: note.Status };
    }
    this.#queue.push(event);
    this.#batchTimer ??= setTimeout(() => this.#sendQueued(), this.config.batchMs);
  };

  #sendQueued(): void {
    this.#batchTimer = undefined;
    if (this.#queue.length === 0 || !this.config.url || !this.config.key) return;
    const events = this.#queue;
    this.#queue = [];
    const first = this.#sequence + 1;
    this.#sequence += events.length;
    const body = JSON.stringify({ events, firstEventSequence: first, lastEventSequence: this.#sequence, entropy: entropy() });
    const delivery: Delivery = {
      id: this.#nextId++, url: this.config.url, body, signature: sign(body, this.config.key), events, attempts: [], delivered: false, abandoned: false,
    };
    this.deliveries.push(delivery);
    this.#attempt(delivery);
  }

  #attempt(delivery: Delivery): void {
    const run = (async () => {
      const started = Date.now();
      const attempt: DeliveryAttempt = { at: this.store.clock.now(), ms: 0 };
      try {
        const response = await fetch(delivery.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-xero-signature': delivery.signature, 'user-agent': 'Xero-Webhooks (sandbox)' },
          body: delivery.body,
          signal: AbortSignal.timeout(RESPONSE_DEADLINE_MS),
        });
        await response.arrayBuffer();
        attempt.status = response.status;
        delivery.delivered = response.status >= 200 && response.status < 300;
      } catch (error) {
        attempt.error = error instanceof Error ? error.message : String(error);
      }
      attempt.ms = Date.now() - started;
      delivery.attempts.push(attempt);
      if (!delivery.delivered) this.#retryLater(delivery);
      this.log(`webhook #${delivery.id} attempt ${delivery.attempts.length}: ${attempt.status ?? attempt.error}`);
    })();
    this.#inFlight.add(run);
    void run.finally(() => this.#inFlight.delete(run));
  }

  #retryLater(delivery: Delivery): void {
    const delay = this.config.retryDelaysMs[delivery.attempts.length - 1];
    if (delay === undefined || this.#closed) {
      delivery.abandoned = true;
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!this.#closed) this.#attempt(delivery);
    }, this.store.clock.scaled(delay));
    this.#timers.add(timer);
  }

  /** Sends whatever is queued now and waits for attempts already under way (tests). */
  async flush(): Promise<void> {
    if (this.#batchTimer) {
      clearTimeout(this.#batchTimer);
      this.#sendQueued();
    }
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#batchTimer) clearTimeout(this.#batchTimer);
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await Promise.allSettled([...this.#inFlight]);
  }
}

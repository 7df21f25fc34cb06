/**
 * A 429 storm: every Accounting call answered 429 ("minute" limit) for a stretch of Xero time, with a
 * `Retry-After` that says when the storm is over.
 *
 * A storm started at a fixed instant may fall between calls and prove nothing, so a storm can also be armed:
 * it begins on the Accounting call that follows `afterCalls` more calls (of one organisation, if `tenantId`
 * is given), so it always meets at least that call. It then lasts `seconds` Xero seconds.
 *
 * While it rages the storm notes which calls it turned away (by `Idempotency-Key`, else method and URL): the
 * same call back before the storm is over came back before its `Retry-After`, and is counted as such.
 */
import type { SandboxClock } from './clock.ts';

export interface StormSettings {
  /** How long the storm lasts once it begins, in Xero seconds. */
  seconds: number;
  /** Only this organisation's calls count towards `afterCalls` and meet the storm (default: every call). */
  tenantId?: string;
  /** Arm the storm: it begins on the call after this many more calls (0: the next call). Unset: it begins now. */
  afterCalls?: number;
}

export interface StormStatus {
  state: 'none' | 'armed' | 'raging' | 'over';
  tenantId?: string;
  /** Calls still to go before an armed storm begins. */
  callsToGo?: number;
  startedAt?: number;
  until?: number;
  /** 429s this storm served. */
  served: number;
  /** Calls it had turned away that came back while it still raged, i.e. before their Retry-After. */
  retriedEarly: number;
}

export class RateLimitStorm {
  #settings?: StormSettings;
  #callsToGo = 0;
  #startedAt?: number;
  #until = 0;
  #served = 0;
  #retriedEarly = 0;
  readonly #turnedAway = new Set<string>();

  constructor(private readonly clock: SandboxClock) {}

  start(settings: StormSettings): StormStatus {
    this.#settings = settings;
    this.#served = 0;
    this.#retriedEarly = 0;
    this.#turnedAway.clear();
    this.#startedAt = undefined;
    this.#until = 0;
    this.#callsToGo = settings.afterCalls ?? 0;
    if (settings.afterCalls === undefined) this.#begin();
    return this.status();
  }

  /** Forgets any storm (the sandbox's reset). */
  clear(): void {
    this.#settings = undefined;
    this.#until = 0;
    this.#turnedAway.clear();
  }

  /**
   * Called for every Accounting call that got past the token and tenant checks: the real milliseconds it is
   * to wait (its answer is a 429), or undefined when the storm leaves it alone.
   */
  meet(tenantId: string, callKey: string): number | undefined {
    const settings = this.#settings;
    if (!settings || (settings.tenantId && settings.tenantId !== tenantId)) return undefined;
    if (this.#startedAt === undefined) {
      if (this.#callsToGo > 0) {
        this.#callsToGo -= 1;
        return undefined;
      }
      this.#begin();
    }
    const now = this.clock.now();
    if (now >= this.#until) return undefined;
    if (this.#turnedAway.has(callKey)) this.#retriedEarly += 1;
    else this.#turnedAway.add(callKey);
    this.#served += 1;
    return this.#until - now;
  }

  status(): StormStatus {
    const settings = this.#settings;
    const base = { served: this.#served, retriedEarly: this.#retriedEarly, tenantId: settings?.tenantId };
    if (!settings) return { state: 'none', ...base };
    if (this.#startedAt === undefined) return { state: 'armed', callsToGo: this.#callsToGo, ...base };
    return { state: this.clock.now() < this.#until ? 'raging' : 'over', startedAt: this.#startedAt, until: this.#until, ...base };
  }

  #begin(): void {
    this.#startedAt = this.clock.now();
    this.#until = this.#startedAt + this.clock.scaled(this.#settings!.seconds * 1000);
  }
}

/**
 * The sandbox's sense of time.
 *
 * Xero's rules are stated in Xero time (a 60-second rate window, 30-minute access tokens, a 30-minute
 * refresh grace, a 6-minute idempotency window...). `timeScale` shrinks every such duration so a benchmark
 * can live "a Xero minute" in one real second. `advance()` jumps the clock forward so a test can reach
 * "31 minutes later" without waiting at all. Timestamps the API shows (UpdatedDateUTC...) use this clock too.
 */
export class SandboxClock {
  #offsetMs = 0;
  #timeScale: number;

  constructor(timeScale = 1) {
    this.#timeScale = SandboxClock.checkScale(timeScale);
  }

  static checkScale(timeScale: number): number {
    if (!Number.isFinite(timeScale) || timeScale <= 0) throw new Error(`timeScale must be a positive number, got ${timeScale}`);
    return timeScale;
  }

  get timeScale(): number {
    return this.#timeScale;
  }

  set timeScale(value: number) {
    this.#timeScale = SandboxClock.checkScale(value);
  }

  /** Milliseconds since the epoch, as the sandbox sees it. */
  now(): number {
    return Date.now() + this.#offsetMs;
  }

  /** A duration stated in Xero milliseconds, as real milliseconds under the current time scale. */
  scaled(xeroMs: number): number {
    return xeroMs / this.#timeScale;
  }

  /** Moves the sandbox clock forward (tests: "an hour later"). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('advance() takes a non-negative number of milliseconds');
    this.#offsetMs += ms;
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

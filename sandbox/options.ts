import type { OrganisationInput } from './organisations.ts';
import type { RequestValidationOption, SpecViolationListener } from './spec-violations.ts';

/** Options the sandbox is started with, and their defaults. */

export interface LimitSettings {
  /** Calls per organisation per (Xero) minute, fixed window. */
  perMinute: number;
  /** Calls in flight at once per organisation. */
  inFlight: number;
  /** Calls per organisation per (Xero) day. */
  perDay: number;
  /** Calls per app (client id) per (Xero) minute, all organisations together. */
  appPerMinute: number;
  /**
   * How long (Xero ms, scaled by timeScale) an admitted Accounting call takes before Xero starts on it: the call
   * holds its in-flight slot that long, so a client that fires a sixth call at once meets the 5-in-flight limit.
   */
  callDurationMs: number;
}

export interface FaultSettings {
  /** Share (0..1) of Accounting calls answered with one of `errorStatuses`. */
  errorRate: number;
  errorStatuses: number[];
  /** Share (0..1) of Accounting calls that never get an answer (or get one very late, see timeoutMode). */
  timeoutRate: number;
  /** 'hang': Xero does the work but never answers (the socket is dropped after `timeoutMs`). 'drop': no work, no answer. 'delay': the answer comes after `timeoutMs`. */
  timeoutMode: 'hang' | 'drop' | 'delay';
  timeoutMs: number;
  /** Real milliseconds added to every Accounting call (while it counts as in flight). */
  latencyMs: number;
  /** Share (0..1) of Accounting calls answered 429 although no limit was reached (a "429 storm"). */
  rate429: number;
  /** Inject only into calls with these HTTP methods (e.g. ['PUT', 'POST'] to spare reads); empty = all. */
  methods: string[];
  /** Seed for the fault dice, so a test's faults land on the same calls every run; unset = Math.random. */
  seed?: number;
}

export interface WebhookSettings {
  url: string;
  key: string;
}

export interface ClientSettings {
  clientId: string;
  clientSecret: string;
  kind: 'web' | 'custom';
  tenantIds?: string[];
  redirectUris?: string[];
  scopes?: string[];
  name?: string;
}

export interface SandboxOptions {
  port?: number;
  host?: string;
  timeScale?: number;
  limits?: Partial<LimitSettings>;
  faults?: Partial<FaultSettings>;
  webhook?: WebhookSettings;
  clients?: ClientSettings[];
  log?: (line: string) => void;
  /** Seed these organisations at start (same fields as the control API's createOrganisation). */
  organisations?: OrganisationInput[];
  /** Shown as ProviderName in Accounting responses. */
  providerName?: string;
  /** How long webhook events are gathered before one delivery (real ms). Default 250. */
  webhookBatchMs?: number;
  /** Delays before webhook redelivery attempts, in Xero ms (scaled). Default 10 s, 1 min, 5 min, 30 min, 2 h. */
  webhookRetryDelaysMs?: number[];
  /**
   * Check every Accounting request against Xero's OpenAPI spec before handling it (body, query parameters,
   * documented headers). `true`/`'record'`: violations are recorded (`control.specViolations()`) and the
   * request is handled as usual; `'reject'`: also answered 400. Off by default (loading the spec costs time).
   */
  validateRequests?: RequestValidationOption;
  /** Called with every client secret registered and every token issued (the test suite looks for them where they must never be). */
  onSecretIssued?: (kind: 'client_secret' | 'access_token' | 'refresh_token' | 'id_token', value: string) => void;
  /** Called with each spec violation as it is recorded (e.g. to note which test was running). */
  onSpecViolation?: SpecViolationListener;
}

/**
 * A typical round trip of a small Accounting call at Xero (Xero ms); large batches take longer. Not the default:
 * at time scale 1 it more than doubles an integration test's run (push-engine: 12.5 s -> 27.5 s), so callers that
 * want Xero's timing (`npm run sandbox`, a benchmark) ask for it with `limits: { callDurationMs }`.
 */
export const REALISTIC_CALL_DURATION_MS = 300;

export const DEFAULT_LIMITS: LimitSettings = { perMinute: 60, inFlight: 5, perDay: 5000, appPerMinute: 10_000, callDurationMs: 0 };

export const DEFAULT_FAULTS: FaultSettings = {
  errorRate: 0,
  errorStatuses: [500, 503],
  timeoutRate: 0,
  timeoutMode: 'hang',
  timeoutMs: 120_000,
  latencyMs: 0,
  rate429: 0,
  methods: [],
};

export function checkShare(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error(`${name} must be between 0 and 1`);
  return value;
}

export function resolveLimits(current: LimitSettings, patch: Partial<LimitSettings> = {}): LimitSettings {
  const next = { ...current, ...patch };
  for (const [k, v] of Object.entries(next)) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`limits.${k} must be a non-negative integer`);
  }
  return next;
}

export function resolveFaults(current: FaultSettings, patch: Partial<FaultSettings> = {}): FaultSettings {
  const next = { ...current, ...patch };
  checkShare('faults.errorRate', next.errorRate);
  checkShare('faults.timeoutRate', next.timeoutRate);
  checkShare('faults.rate429', next.rate429);
  if (!Array.isArray(next.errorStatuses) || next.errorStatuses.some((s) => !Number.isInteger(s) || s < 500 || s > 599)) {
    throw new Error('faults.errorStatuses must be 5xx status codes');
  }
  if (next.errorRate > 0 && next.errorStatuses.length === 0) throw new Error('faults.errorStatuses is empty');
  if (!(next.latencyMs >= 0) || !(next.timeoutMs >= 0)) throw new Error('faults.latencyMs and faults.timeoutMs must be >= 0');
  if (!['hang', 'drop', 'delay'].includes(next.timeoutMode)) throw new Error("faults.timeoutMode is 'hang', 'drop' or 'delay'");
  if (!Array.isArray(next.methods) || next.methods.some((m) => typeof m !== 'string')) throw new Error('faults.methods must be a list of HTTP methods');
  next.methods = next.methods.map((m) => m.toUpperCase());
  if (next.seed !== undefined && !Number.isInteger(next.seed)) throw new Error('faults.seed must be an integer');
  return next;
}

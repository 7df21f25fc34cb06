/**
 * The service's configuration: every environment variable it reads, validated once at start-up.
 *
 * A bad value stops the process with ONE message naming every offending variable and what it expects,
 * so an operator fixes them all in one go instead of one restart per mistake.
 */
import { z } from 'zod';
import { regexSource } from '../lib/regex-schema.ts';

/**
 * Booleans in any case: the AMS billing guide writes `XERO_EMAIL_INVOICES=True` / `False` (Python's
 * spelling), other tools write `true`, `TRUE`, `1`, `yes`.
 */
const bool = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false (any case), 1 or 0, yes or no' }))
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Scopes the deployment's web app asks for: apps created from 2 March 2026 must use Xero's granular scopes. */
export const DEFAULT_XERO_SCOPES = 'offline_access accounting.contacts accounting.invoices accounting.payments accounting.manualjournals accounting.settings.read';

/**
 * Room for 1,000 organisations' workflows twice over: with 1,000 cached the workflow thread's live heap was
 * about 110 MiB (README, Benchmarks), so 2,000 (some 200 MiB) still fit inside bin/start-worker's 432 MiB.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 2_000;

const port = z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535);

const url = z.url({ message: 'expected an absolute URL, e.g. https://example.com' });

const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90s`, `15m`, `1h`, `1d` (or `500ms`) as milliseconds. */
const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'expected a duration such as 30m, 1h or 1d')
  .transform((v) => {
    const [, n, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(v)!;
    return Number(n) * DURATION_UNITS_MS[unit as keyof typeof DURATION_UNITS_MS];
  });

/** `kid:base64key[,kid:base64key...]`; the first key encrypts, all of them decrypt (so keys can rotate). */
const encryptionKeys = z.string().transform((raw, ctx) => {
  const keys: Array<{ id: string; key: Buffer }> = [];
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [id, b64] = part.includes(':') ? part.split(':', 2) : ['k1', part];
    const key = Buffer.from(b64 ?? '', 'base64');
    if (!id || key.length !== 32) {
      ctx.addIssue({ code: 'custom', message: 'expected kid:base64 with a 32-byte key, e.g. k1:$(openssl rand -base64 32)' });
      return z.NEVER;
    }
    keys.push({ id, key });
  }
  if (keys.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'expected at least one key: kid:base64 (32 bytes)' });
    return z.NEVER;
  }
  return keys;
});

const regex = regexSource();

/** A CSP source list of keywords and origins only: nothing that could end the header's directive. */
const frameAncestors = /^(?:'none'|(?:'self'|https?:\/\/(?:\*\.)?[a-z0-9.-]+(?::\d{1,5})?)(?:\s+(?:'self'|https?:\/\/(?:\*\.)?[a-z0-9.-]+(?::\d{1,5})?))*)$/i;

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected postgres://user:pass@host:port/db'),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),

    TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    /** Workflows and database steps; Xero calls run on `<this>-xero-api` (workflows/task-queues.ts). */
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('xero-sync'),
    /** A workflow bundle built by `npm run build` (dist/workflow-bundle.js); unset: the worker bundles at start. */
    WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
    /**
     * Workflows the worker keeps in memory between their tasks. Every connected organisation has a workflow
     * that runs for months, and one evicted from the cache is replayed from its history (up to 10,000 events)
     * at its next task, so the cache holds every organisation a worker serves, with room to spare. Set here,
     * not left to the SDK, which sizes it from the heap limit (135 at bin/start-worker's 384 MiB).
     */
    TEMPORAL_MAX_CACHED_WORKFLOWS: z.coerce
      .number({ message: 'expected a whole number of workflows, at least 2' })
      .int('expected a whole number of workflows, at least 2')
      .min(2, 'expected a whole number of workflows, at least 2')
      .default(DEFAULT_MAX_CACHED_WORKFLOWS),

    API_HOST: z.string().default('127.0.0.1'),
    API_PORT: port.default(3000),
    API_PUBLIC_URL: url.optional(),
    API_JWT_SECRET: z.string().min(32, 'expected at least 32 characters (e.g. openssl rand -hex 32)').optional(),
    API_JWKS_URL: url.optional(),
    API_JWT_ISSUER: z.string().optional(),
    API_JWT_AUDIENCE: z.string().optional(),
    API_BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'expected a size such as 1mb').default('1mb'),

    ENCRYPTION_KEY: encryptionKeys,

    XERO_CLIENT_ID: z.string().min(1).optional(),
    XERO_CLIENT_SECRET: z.string().min(1).optional(),
    XERO_REDIRECT_URI: url.optional(),
    XERO_TENANT_ID: z.string().min(1).optional(),
    /**
     * The platform organisation a single-organisation deployment's custom connection (XERO_CLIENT_ID,
     * XERO_CLIENT_SECRET, XERO_TENANT_ID) belongs to: linked to it when the API starts, no API call needed.
     */
    XERO_PLATFORM_ORG_ID: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'expected an organisation id (letters, digits, . _ : -)').default('default'),
    XERO_WEBHOOK_KEY: z.string().min(1).optional(),
    XERO_SCOPES: z.string().trim().min(1).default(DEFAULT_XERO_SCOPES),
    XERO_ACCOUNT_CODE: z.string().min(1).default('200'),
    XERO_AMOUNT_TYPE: z.enum(['INCLUSIVE', 'EXCLUSIVE', 'NOTAX'], { message: 'expected INCLUSIVE, EXCLUSIVE or NOTAX' }).default('EXCLUSIVE'),
    XERO_CURRENCY_CODE: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as NZD').optional(),
    XERO_EMAIL_INVOICES: bool.default(false),
    AMS_BILLING_EMAIL_WHITELIST_REGEX: regex.optional(),

    XERO_API_URL: url.default('https://api.xero.com'),
    XERO_IDENTITY_URL: url.default('https://identity.xero.com'),
    XERO_LOGIN_URL: url.default('https://login.xero.com'),
    /** Xero's app-wide cap, shared by every worker through the Xero task queue's dispatch rate. */
    XERO_APP_CALLS_PER_MINUTE: z.coerce.number().int().min(1).default(10_000),
    /** Xero's per-organisation limits, and the length of its minute (shorter only against a time-scaled sandbox). */
    XERO_MINUTE_LIMIT: z.coerce.number().int().min(1).default(60),
    XERO_DAY_LIMIT: z.coerce.number().int().min(1).default(5_000),
    XERO_RATE_WINDOW_MS: z.coerce.number().int().min(10).default(60_000),
    /** Calls in flight per organisation: Xero allows 5; one is left for admin calls. */
    XERO_CONCURRENCY: z.coerce.number().int().min(1).max(5).default(4),
    /** Access tokens are refreshed this long before they expire (Xero's live 30 minutes). */
    XERO_TOKEN_REFRESH_AHEAD_MS: z.coerce.number().int().min(0).default(5 * 60_000),
    /** One Xero call taking longer than this is abandoned and retried under the same Idempotency-Key. */
    XERO_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
    /**
     * How an existing Xero contact is recognised as one of ours, in order: the default for organisations
     * whose settings leave `contactMatching` unset.
     */
    XERO_CONTACT_MATCH: z
      .string()
      .default('contact_number,email,name')
      .transform((v) => v.split(',').map((f) => f.trim()).filter(Boolean))
      .pipe(z.array(z.enum(['contact_number', 'email', 'name'], { message: 'expected a comma-separated list of contact_number, email, name' })).min(1)),

    WEBHOOK_PATH: z.string().startsWith('/').default('/billing/xero/webhooks/'),
    PLATFORM_WEBHOOK_URL: url.optional(),
    PLATFORM_WEBHOOK_SECRET: z.string().min(16).optional(),
    /** Xero webhook bodies above this get 401 without being checked (Xero's deliveries are a few KB). */
    WEBHOOK_BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'expected a size such as 1mb').default('1mb'),
    /** How often the worker's relay re-signals unsignalled webhook events and wakes stale pending work. */
    RELAY_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
    /** Pending records unattempted this long after their change get their organisation woken again. */
    RELAY_STALE_PENDING_MS: z.coerce.number().int().min(1_000).default(30_000),
    /** How often the outbox dispatcher looks for events to deliver to the main app when idle. */
    OUTBOX_POLL_MS: z.coerce.number().int().min(50).default(1_000),
    /** Deliveries to the main app in flight at once (each for a different record). */
    OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),

    /**
     * How often each connected organisation's reconciliation schedule (`xero-reconcile:{orgId}`) runs a sweep
     * of Xero's payments and invoices, catching what no webhook announced. Spread across organisations by jitter.
     */
    RECONCILE_INTERVAL: duration.pipe(z.number().min(1_000, 'expected at least 1s')).default(3_600_000),
    /**
     * Contact edits made in Xero (name, email, archived) are recorded and announced to the main app
     * (`contact.changed_in_xero`); with this on, name and email are also copied onto the platform's contact.
     */
    XERO_APPLY_CONTACT_EDITS: bool.default(false),

    /**
     * The worker's Prometheus endpoint (`GET /metrics`): its address and port (0: any free port, said at start).
     * Loopback by default, so nothing is public by accident; 0.0.0.0 in a container, with credentials.
     */
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    METRICS_PORT: port.default(9464),
    /** Basic auth for `/metrics` on the API and on the worker (both or neither). Unset: the API's only answers loopback. */
    METRICS_USER: z.string().min(1).optional(),
    METRICS_PASSWORD: z.string().min(12, 'expected at least 12 characters (e.g. openssl rand -hex 16)').optional(),
    /**
     * The Temporal SDK's own Prometheus exporter, always on 127.0.0.1, merged into the worker's `/metrics`.
     * Unset: a free port is chosen at start.
     */
    METRICS_TEMPORAL_SDK_PORT: port.optional(),

    /** How long a browser session of the settings page or the console lasts after sign-in. */
    UI_SESSION_TTL: duration.pipe(z.number().min(60_000, 'expected at least 1m')).default(8 * 3_600_000),
    /** How long a sign-in link the main app asked for stays valid (single use either way). */
    UI_SIGN_IN_LINK_TTL: duration.pipe(z.number().min(10_000, 'expected at least 10s')).default(2 * 60_000),
    /**
     * Who may frame the pages: a CSP `frame-ancestors` source list, e.g. `'self' https://app.example.com`.
     * Default `'none'`: open them as a link (top-level), not in an iframe.
     */
    UI_FRAME_ANCESTORS: z
      .string()
      .trim()
      .regex(frameAncestors, "expected 'none', 'self' or origins such as https://app.example.com, separated by spaces")
      .default("'none'"),
    /** The Temporal Web UI the console links each organisation's workflows to (npm run dev sets it). */
    TEMPORAL_UI_URL: url.optional(),
  });

/**
 * Rules across variables, checked on the raw values so that they are reported together with every other
 * problem (a zod refinement would only run once the rest parsed).
 */
const crossFieldRules: Array<{ name: string; broken: (env: Record<string, string>) => boolean; message: string }> = [
  { name: 'API_JWT_SECRET', broken: (env) => !env.API_JWT_SECRET && !env.API_JWKS_URL, message: 'required (or set API_JWKS_URL)' },
  {
    name: 'PLATFORM_WEBHOOK_SECRET',
    broken: (env) => !!env.PLATFORM_WEBHOOK_URL && !env.PLATFORM_WEBHOOK_SECRET,
    message: 'required when PLATFORM_WEBHOOK_URL is set (events are signed with it)',
  },
  { name: 'XERO_CLIENT_SECRET', broken: (env) => !!env.XERO_CLIENT_ID && !env.XERO_CLIENT_SECRET, message: 'required when XERO_CLIENT_ID is set' },
  { name: 'METRICS_PASSWORD', broken: (env) => !!env.METRICS_USER && !env.METRICS_PASSWORD, message: 'required when METRICS_USER is set' },
  { name: 'METRICS_USER', broken: (env) => !!env.METRICS_PASSWORD && !env.METRICS_USER, message: 'required when METRICS_PASSWORD is set' },
];

export type Env = z.output<typeof envSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws ConfigError with a one-line message naming every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // Empty strings come from `.env` templates left blank: treat them as unset.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  const problems = new Map<string, string>();
  for (const rule of crossFieldRules) if (rule.broken(cleaned as Record<string, string>)) problems.set(rule.name, rule.message);
  for (const issue of parsed.error?.issues ?? []) {
    const name = String(issue.path[0] ?? 'environment');
    if (!problems.has(name)) problems.set(name, issue.code === 'invalid_type' && !(name in cleaned) ? 'required' : issue.message);
  }
  if (parsed.success && problems.size === 0) return parsed.data;
  throw new ConfigError(`Invalid configuration: ${[...problems].map(([name, message]) => `${name}: ${message}`).join('; ')}`);
}

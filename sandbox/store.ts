/**
 * All sandbox state, in memory: organisations and their books, the identity side, settings and counters.
 * One `SandboxStore` per running sandbox, so tests never share state.
 */
import { randomBytes } from 'node:crypto';
import { SandboxClock } from './clock.ts';
import { emptyCounters, type Counters } from './counters.ts';
import type { Books } from './accounting/records.ts';
import type { AccessToken, AuthorizationCode, ClientApp, Connection, Grant, RefreshToken } from './identity/records.ts';
import { RateLimitStorm } from './rate-limit-storm.ts';
import { DEFAULT_FAULTS, DEFAULT_LIMITS, type FaultSettings, type LimitSettings } from './options.ts';

export class SandboxStore {
  readonly clock: SandboxClock;
  limits: LimitSettings = { ...DEFAULT_LIMITS };
  faults: FaultSettings = { ...DEFAULT_FAULTS };
  /** The fault dice: Math.random, or a seeded generator when faults.seed is set. */
  faultRandom: () => number = Math.random;
  /** A 429 storm, started or armed through the control API (rate-limit storm). */
  readonly storm: RateLimitStorm;
  providerName = 'Xero Sandbox';
  /** The sandbox's own origin, once it listens (token issuer, webhook resourceUrl). */
  baseUrl = 'http://127.0.0.1';
  /** Signs the JWT-shaped access tokens. */
  readonly signingSecret = randomBytes(32).toString('hex');
  /** Told of every client secret and token this Xero hands out (SandboxOptions.onSecretIssued). */
  onSecretIssued?: (kind: 'client_secret' | 'access_token' | 'refresh_token' | 'id_token', value: string) => void;

  books = new Map<string, Books>();
  clients = new Map<string, ClientApp>();
  grants = new Map<string, Grant>();
  codes = new Map<string, AuthorizationCode>();
  accessTokens = new Map<string, AccessToken>();
  refreshTokens = new Map<string, RefreshToken>();
  connections = new Map<string, Connection>();
  counters: Counters = emptyCounters();
  /** Online invoice links handed out: token -> the invoice it shows. */
  onlineInvoices = new Map<string, { tenantId: string; invoiceId: string }>();

  constructor(timeScale = 1) {
    this.clock = new SandboxClock(timeScale);
    this.storm = new RateLimitStorm(this.clock);
  }

  /** Forgets every organisation, token, connection and counter; keeps registered clients and settings. */
  resetData(): void {
    this.books.clear();
    this.grants.clear();
    this.codes.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.connections.clear();
    this.counters = emptyCounters();
    this.onlineInvoices.clear();
    this.storm.clear();
  }

  booksOf(tenantId: string): Books | undefined {
    return this.books.get(tenantId);
  }
}

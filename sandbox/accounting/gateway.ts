/**
 * What stands in front of every Accounting call, in Xero's order: the bearer token (401), the
 * `xero-tenant-id` header and the app's connection to that organisation (403), the token's scopes (401),
 * then the rate limits (429) and, last, whatever faults the run injects. Every answer that gets past the
 * token carries the remaining-call headers.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { checkBearer, connectionsOf } from '../identity/grants.ts';
import type { Grant } from '../identity/records.ts';
import { hasScopeFor, type ScopedResource } from '../identity/scopes.ts';
import { decideFault, serverErrorBody, sleep } from '../faults.ts';
import { rateLimitHeaders, type RateLimiter } from '../limits.ts';
import type { SandboxStore } from '../store.ts';
import { problem } from './errors.ts';
import type { Books } from './records.ts';

export interface CallerLocals {
  books: Books;
  tenantId: string;
  clientId: string;
  grant: Grant;
}

const RESOURCE_OF: Record<string, ScopedResource> = {
  contacts: 'contacts', invoices: 'invoices', payments: 'payments', creditnotes: 'creditnotes',
  manualjournals: 'manualjournals', organisation: 'settings', accounts: 'settings', taxrates: 'settings', currencies: 'settings',
  trackingcategories: 'settings', brandingthemes: 'settings', items: 'settings',
};

function tokenExpiredDetail(expiredAt: number): string {
  const d = new Date(expiredAt);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `TokenExpired: token expired at ${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export interface GatewayDeps {
  store: SandboxStore;
  limiter: RateLimiter;
  /** Requests held open by timeout faults, so close() can end them. */
  held: Set<() => void>;
  /** Reads and parses the request body (the Accounting API's JSON parser). */
  readBody?: RequestHandler;
}

export function gateway({ store, limiter, held, readBody }: GatewayDeps) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const bearer = checkBearer(store, req.get('authorization'));
    if (!bearer.ok) {
      const detail = bearer.reason === 'expired' ? tokenExpiredDetail(bearer.expiredAt!) : 'AuthorizationUnsuccessful';
      res.status(401).set('WWW-Authenticate', `Bearer error="invalid_token"`).json(problem(401, 'Unauthorized', detail));
      return;
    }
    const { grant, token } = bearer;
    const header = req.get('xero-tenant-id')?.trim().toLowerCase();
    let tenantId: string | undefined;
    if (grant.kind === 'client_credentials') {
      // A custom connection acts on its one organisation; a different tenant id in the header is refused.
      tenantId = header && header !== grant.tenantId ? undefined : grant.tenantId;
    } else if (header) {
      tenantId = connectionsOf(store, grant).some((c) => c.tenantId === header) ? header : undefined;
    }
    const books = tenantId ? store.books.get(tenantId) : undefined;
    if (!tenantId || !books) {
      res.status(403).json(problem(403, 'Forbidden', 'AuthenticationUnsuccessful'));
      return;
    }
    const resource = RESOURCE_OF[req.path.split('/')[1]?.toLowerCase() ?? ''];
    if (resource && !hasScopeFor(token.scopes, resource, req.method === 'GET' ? 'read' : 'write')) {
      res.status(401).json(problem(401, 'Unauthorized', 'AuthorizationUnsuccessful'));
      return;
    }

    // Limits come before faults: an injected failure still costs the caller a call.
    const stormWait = store.storm.meet(tenantId, req.get('idempotency-key') ?? `${req.method} ${req.originalUrl}`);
    const fault = stormWait !== undefined ? { kind: 'rate429' as const } : decideFault(store.faults, req.method, store.faultRandom);
    if (fault.kind === 'rate429') {
      const decision = limiter.admit(tenantId, grant.clientId);
      decision.release();
      store.counters.rateLimited.injected += 1;
      const wait = stormWait ?? store.clock.scaled(1000 + Math.floor(Math.random() * 59_000));
      res.status(429).set({ ...decision.headers, ...rateLimitHeaders('minute', wait) }).json(problem(429, 'Too Many Requests', 'Rate limit exceeded'));
      return;
    }
    const decision = limiter.admit(tenantId, grant.clientId);
    res.set(decision.headers);
    if (!decision.ok) {
      store.counters.rateLimited[decision.problem!] += 1;
      res.status(429).set(rateLimitHeaders(decision.problem!, decision.retryAfterMs)).json(problem(429, 'Too Many Requests', `Rate limit exceeded: ${decision.problem}`));
      return;
    }
    res.once('finish', decision.release);
    res.once('close', decision.release);
    res.locals['caller'] = { books, tenantId, clientId: grant.clientId, grant } satisfies CallerLocals;
    // Xero has the whole request before it works on it: a client that dies while waiting for the answer
    // (a killed worker) still gets its work done, as it would at Xero.
    if (readBody && (req.headers['content-length'] || req.headers['transfer-encoding'])) {
      const unreadable = await new Promise<unknown>((resolve) => readBody(req, res, resolve));
      if (unreadable) return next(unreadable);
    }

    // The call is in flight for as long as Xero takes over it, which is what the 5-in-flight limit counts.
    const duration = store.clock.scaled(store.limits.callDurationMs) + store.faults.latencyMs;
    if (duration > 0) await sleep(duration);
    if (fault.kind === 'error') {
      store.counters.faults.byStatus[fault.status] = (store.counters.faults.byStatus[fault.status] ?? 0) + 1;
      res.status(fault.status).json(serverErrorBody(fault.status));
      return;
    }
    if (fault.kind === 'timeout') {
      store.counters.faults.timeouts += 1;
      const holdMs = store.faults.timeoutMs;
      if (fault.mode === 'delay') {
        await sleep(holdMs);
      } else {
        // 'drop': nothing is done. 'hang': Xero does the work but the answer never arrives.
        const end = () => { req.socket.destroy(); decision.release(); };
        const timer = setTimeout(() => { held.delete(end); end(); }, holdMs);
        held.add(() => { clearTimeout(timer); end(); });
        if (fault.mode === 'drop') return;
        res.end = (() => res) as unknown as Response['end'];
      }
    }
    next();
  };
}

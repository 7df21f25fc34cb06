/**
 * How an Accounting handler answers: it returns a Reply (or throws a XeroHttpError) and one wrapper
 * counts the call, applies `Idempotency-Key`, and writes the response.
 */
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { countCall } from '../counters.ts';
import { fingerprint, type IdempotencyCache } from '../idempotency.ts';
import type { ChangeSink } from '../events.ts';
import type { SandboxStore } from '../store.ts';
import { msDate } from '../xero-dates.ts';
import { booksContext, type BooksContext } from './context.ts';
import { XeroHttpError, problem } from './errors.ts';
import type { CallerLocals } from './gateway.ts';
import { queryParam } from './query.ts';

export interface Reply {
  status: number;
  body?: unknown;
}

export interface HandlerContext extends BooksContext {
  /** unitdp=4 keeps four decimal places on unit amounts. */
  unitDp: 2 | 4;
}

export type AccountingHandler = (req: Request, ctx: HandlerContext) => Reply;

/** Xero's response envelope around a list of records. */
export function envelope(store: SandboxStore, key: string, items: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { Id: randomUUID(), Status: 'OK', ProviderName: store.providerName, DateTimeUTC: msDate(store.clock.now()), ...extra, [key]: items };
}

export interface RouteDeps {
  store: SandboxStore;
  idempotency: IdempotencyCache;
  announce: ChangeSink;
}

export function sendReply(res: Response, reply: Reply): void {
  res.status(reply.status);
  if (reply.body === undefined) res.end();
  else if (typeof reply.body === 'string') res.type('text/plain').send(reply.body);
  else res.json(reply.body);
}

/** Wraps a handler; `name` is the endpoint as counters show it, e.g. "GET /Invoices/{InvoiceID}". */
export function accountingRoute(deps: RouteDeps, name: string, handler: AccountingHandler): RequestHandler {
  return (req, res) => {
    const caller = res.locals['caller'] as CallerLocals;
    countCall(deps.store.counters, caller.tenantId, name);
    const ctx: HandlerContext = {
      ...booksContext(deps.store, caller.books, deps.announce),
      unitDp: queryParam(req, 'unitdp') === '4' ? 4 : 2,
    };
    const key = req.method !== 'GET' ? req.get('Idempotency-Key') : undefined;
    const print = fingerprint(req.method, req.originalUrl, (req as Request & { rawBody?: Buffer }).rawBody);
    if (key !== undefined && key !== '') {
      const outcome = deps.idempotency.check(caller.clientId, caller.tenantId, key, print);
      if (outcome.kind === 'too-long') {
        sendReply(res, { status: 400, body: problem(400, 'Bad Request', 'The Idempotency-Key header must be 128 characters or fewer.') });
        return;
      }
      if (outcome.kind === 'conflict') {
        sendReply(res, { status: 400, body: problem(400, 'Bad Request', 'The Idempotency-Key has already been used for a different request.') });
        return;
      }
      if (outcome.kind === 'replay') {
        deps.store.counters.idempotentReplays += 1;
        res.set('X-Sandbox-Idempotent-Replay', 'true');
        sendReply(res, outcome.reply);
        return;
      }
    }
    let reply: Reply;
    try {
      reply = handler(req, ctx);
    } catch (error) {
      if (!(error instanceof XeroHttpError)) throw error;
      res.set(error.headers);
      reply = { status: error.status, body: error.body };
    }
    if (key !== undefined && key !== '') deps.idempotency.remember(caller.clientId, caller.tenantId, key, print, reply);
    sendReply(res, reply);
  };
}

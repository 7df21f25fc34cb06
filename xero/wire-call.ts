/**
 * One xero-node call that carries a body we built in Xero's wire shape (wire.ts) and whose answer we read
 * ourselves: the request still goes through xero-node's own method (its URL, query, `xero-tenant-id`,
 * `Idempotency-Key`, OAuth header, axios and its error wrapping, so errors.ts and the rate headers see what
 * they always saw), but xero-node serialises an empty list instead of the batch, and its deserialiser is
 * handed nothing for a 2xx answer: the parsed JSON is kept here instead. A refusal (any other status) keeps
 * its body, as xero-node's rejection always carried it.
 */
import type { AccountingApi, Authentication } from 'xero-node';

type RequestOptions = Parameters<Authentication['applyToRequest']>[0];

interface Exchange {
  body: unknown;
  answer?: unknown;
}

// One AccountingApi instance per call (accounting-api.ts), so at most one exchange is open on it.
const exchanges = new WeakMap<AccountingApi, Exchange>();

/** xero-node's request hook (accounting-api.ts): puts our body in, and takes a 2xx answer out before xero-node reads it. */
export function applyWireExchange(api: AccountingApi, options: RequestOptions): void {
  const exchange = exchanges.get(api);
  if (!exchange) return;
  options.data = exchange.body;
  options.transformResponse = (data: unknown, _headers: unknown, status?: number) => {
    const parsed = parseJson(data);
    if (status !== undefined && status >= 200 && status <= 299) {
      exchange.answer = parsed;
      return null;
    }
    return parsed;
  };
}

/**
 * Sends `body` (Xero's wire shape) through the xero-node method `call` invokes on `api`, and answers Xero's
 * response with its JSON body as Xero sent it (PascalCase; read it with `fromWire`).
 */
export async function sendWire<R extends { response: { headers?: Record<string, unknown> } }>(api: AccountingApi, body: unknown, call: () => Promise<R>): Promise<{ response: R['response']; body: unknown }> {
  const exchange: Exchange = { body };
  exchanges.set(api, exchange);
  try {
    const { response } = await call();
    return { response, body: exchange.answer };
  } finally {
    exchanges.delete(api);
  }
}

/** As axios parses a JSON answer: text that is not JSON stays text. */
function parseJson(data: unknown): unknown {
  if (typeof data !== 'string' || data === '') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

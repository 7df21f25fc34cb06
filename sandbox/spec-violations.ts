/**
 * `validateRequests`: every Accounting request is checked against Xero's OpenAPI spec before it is handled
 * (JSON body against the operation's request schema; query parameters and documented headers against their
 * types, enums and formats). What does not conform is recorded, readable through the control API, and with
 * `'reject'` answered 400 instead of being handled.
 *
 * Requests the gateway answers itself (401, 403, 429, injected 5xx and dropped calls) never reach the check.
 * The validator (ajv, yaml and the 900 KB spec) is loaded only when validation is on, once per process.
 */
import type { Request, RequestHandler } from 'express';
import { postDataInvalid, validationException, type XeroHttpError } from './accounting/errors.ts';
import type { CallerLocals } from './accounting/gateway.ts';
import type * as ValidatorModule from './openapi-validator.ts';

export type RequestValidationMode = 'off' | 'record' | 'reject';

/** `true` and `'record'` record violations; `'reject'` also answers them 400; `false`/unset: no checking. */
export type RequestValidationOption = boolean | 'record' | 'reject';

export interface SpecViolation {
  /** 1, 2, 3... in the order seen by this sandbox. */
  seq: number;
  /** Wall-clock time it was seen (ISO 8601). */
  at: string;
  method: string;
  /** The path as sent, below /api.xro/2.0, without the query string. */
  path: string;
  /** The spec's path template (e.g. /Invoices/{InvoiceID}); undefined when the spec has no such operation. */
  template?: string;
  /** The raw query string, if any. */
  query?: string;
  tenantId?: string;
  /** What does not conform, one line each (where in the body or which parameter, what the spec says, the value). */
  errors: string[];
  /** The start of the JSON body as sent (at most 300 characters). */
  bodyExcerpt?: string;
  /** The sandbox answered 400 instead of handling the request (`validateRequests: 'reject'`). */
  rejected: boolean;
}

export type SpecViolationListener = (violation: SpecViolation) => void;

export function requestValidationMode(option: RequestValidationOption | undefined): RequestValidationMode {
  if (option === undefined || option === false) return 'off';
  if (option === true || option === 'record') return 'record';
  if (option === 'reject') return 'reject';
  throw new Error("validateRequests is true, false, 'record' or 'reject'");
}

/** The violations one sandbox has seen. They survive `reset()`: `clear()` forgets them. */
export class SpecViolationLog {
  static readonly MAX = 1000;
  #list: SpecViolation[] = [];
  #seq = 0;
  /** Violations not kept because the log was full. */
  dropped = 0;

  constructor(readonly mode: RequestValidationMode, private readonly listener?: SpecViolationListener) {}

  add(violation: Omit<SpecViolation, 'seq' | 'at'>): SpecViolation {
    const entry: SpecViolation = { seq: ++this.#seq, at: new Date().toISOString(), ...violation };
    if (this.#list.length < SpecViolationLog.MAX) this.#list.push(entry);
    else this.dropped += 1;
    this.listener?.(structuredClone(entry));
    return entry;
  }

  list(): SpecViolation[] {
    return structuredClone(this.#list);
  }

  clear(): void {
    this.#list = [];
    this.dropped = 0;
  }
}

type Validator = typeof ValidatorModule;

/** Loads the validator and the spec (once per process; the first load costs ~0.2-1 s). */
export async function loadRequestValidator(): Promise<Validator> {
  const validator = await import('./openapi-validator.ts');
  validator.loadAccountingSpec();
  return validator;
}

const EXCERPT = 300;

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

/** The checks for one request: undefined when it conforms. */
function violationsOf(validator: Validator, req: Request): { template?: string; errors: string[]; bodyIsTheProblem: boolean } | undefined {
  const method = req.method.toUpperCase();
  const template = validator.matchAccountingPath(method, req.path);
  if (!template) return { errors: [`${method} ${req.path}: the spec has no such operation`], bodyIsTheProblem: false };
  const errors: string[] = [];
  let bodyIsTheProblem = false;
  const body: unknown = req.body;
  if (validator.accountingOperationTakesBody(method, template)) {
    if (body === undefined) {
      errors.push(`${method} ${template}: expects a JSON body (Content-Type: application/json)`);
      bodyIsTheProblem = true;
    } else {
      const result = validator.validateAccountingRequest(method, template, body);
      errors.push(...result.errors);
      bodyIsTheProblem = !result.valid;
    }
  } else if (body !== undefined && !isEmptyObject(body)) {
    // xero-node sends `{}` with every GET (FACTS.md, "What xero-node 20.0.0 puts on the wire"): that is no body.
    errors.push(`${method} ${template}: takes no body`);
    bodyIsTheProblem = true;
  }
  const headers = { 'if-modified-since': req.get('if-modified-since'), 'idempotency-key': req.get('idempotency-key') };
  errors.push(...validator.validateAccountingParameters(method, template, req.query as Record<string, string | string[] | undefined>, headers).errors);
  return errors.length > 0 ? { template, errors, bodyIsTheProblem } : undefined;
}

function rejection(errors: string[], bodyIsTheProblem: boolean): XeroHttpError {
  // Xero answers a body it cannot deserialise (a word where a number belongs, an unknown enum value) with
  // PostDataInvalidException; parameter problems get a ValidationException here (the sandbox's own choice).
  if (bodyIsTheProblem) return postDataInvalid(` ${errors.join('; ')}`);
  return validationException([{ ValidationErrors: errors.map((Message) => ({ Message })) }]);
}

/** Express middleware for the Accounting router, after the body parser and before the handlers. */
export function specCheck(validator: Validator, log: SpecViolationLog, say: (line: string) => void): RequestHandler {
  return (req, res, next) => {
    let found;
    try {
      found = violationsOf(validator, req);
    } catch (error) {
      found = { errors: [`the validator failed: ${error instanceof Error ? error.message : String(error)}`], bodyIsTheProblem: false };
    }
    if (!found) {
      next();
      return;
    }
    const rejected = log.mode === 'reject';
    const queryAt = req.originalUrl.indexOf('?');
    const violation = log.add({
      method: req.method.toUpperCase(),
      path: req.path,
      ...(found.template ? { template: found.template } : {}),
      ...(queryAt >= 0 ? { query: req.originalUrl.slice(queryAt + 1) } : {}),
      ...((res.locals['caller'] as CallerLocals | undefined)?.tenantId ? { tenantId: (res.locals['caller'] as CallerLocals).tenantId } : {}),
      errors: found.errors,
      ...(req.body !== undefined && !isEmptyObject(req.body) ? { bodyExcerpt: clip(JSON.stringify(req.body)) } : {}),
      rejected,
    });
    say(`spec violation #${violation.seq} ${violation.method} ${req.originalUrl}: ${violation.errors.join(' | ')}`);
    if (!rejected) {
      next();
      return;
    }
    const error = rejection(found.errors, found.bodyIsTheProblem);
    res.status(error.status).set('X-Sandbox-Spec-Violation', String(violation.seq)).json(error.body);
  };
}

function clip(text: string): string {
  return text.length > EXCERPT ? `${text.slice(0, EXCERPT)}…` : text;
}

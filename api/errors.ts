/**
 * Errors that carry their HTTP status and a stable `code`, answered as RFC 9457 problem details.
 */
import type { ErrorRequestHandler } from 'express';
import type { z } from 'zod';
import type { Logger } from '../config/logger.ts';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../db/unavailable.ts';

export interface FieldError {
  path: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
    /** More members of the problem document (e.g. a batch's per-row `problems`). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const notFound = (what = 'resource') => new HttpError(404, 'not_found', `${what} not found`);

/** 422 naming every offending field by its path (`lines.0.quantity`), so the caller fixes all at once. */
export function validationError(error: z.ZodError, where = 'body'): HttpError {
  const fields = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  return new HttpError(422, 'validation_failed', `Invalid ${where}: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, fields);
}

/** The one error handler: problem+json with a stable code; internals are logged, never returned. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const problem = toProblem(err);
    if (problem.retryAfterSeconds) {
      // Nothing wrong with the request: one line, not a stack trace per caller while the database is away.
      logger.warn({ code: problem.code, method: req.method, path: req.path, cause: causeOf(err) }, 'request refused: the database is unavailable');
      res.set('Retry-After', String(problem.retryAfterSeconds));
    } else if (problem.status >= 500) {
      logger.error({ err, method: req.method, path: req.path }, 'request failed');
    }
    res.status(problem.status).type('application/problem+json').json({
      type: 'about:blank',
      title: problem.title,
      status: problem.status,
      code: problem.code,
      detail: problem.detail,
      ...(problem.fields ? { errors: problem.fields } : {}),
      ...problem.extra,
    });
  };
}

interface Problem {
  status: number;
  code: string;
  title: string;
  detail: string;
  fields?: FieldError[];
  extra?: Record<string, unknown>;
  retryAfterSeconds?: number;
}

function toProblem(err: unknown): Problem {
  if (isDatabaseUnavailable(err)) {
    return {
      status: 503,
      code: 'database_unavailable',
      title: 'Service Unavailable',
      detail: `The database is unavailable right now: try again in ${DATABASE_RETRY_AFTER_SECONDS} seconds.`,
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
    };
  }
  if (err instanceof HttpError) {
    return { status: err.status, code: err.code, title: titleFor(err.status), detail: err.message, fields: err.fields, extra: err.extra };
  }
  // body-parser errors carry `type` and `status`.
  const e = err as { type?: string; status?: number; limit?: number };
  if (e?.type === 'entity.parse.failed') {
    return { status: 400, code: 'invalid_json', title: 'Bad Request', detail: 'The request body is not valid JSON.' };
  }
  if (e?.type === 'entity.too.large') {
    return { status: 413, code: 'payload_too_large', title: 'Payload Too Large', detail: `The request body exceeds the limit of ${e.limit} bytes.` };
  }
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return { status: 415, code: 'unsupported_encoding', title: 'Unsupported Media Type', detail: 'Send the body as UTF-8 JSON.' };
  }
  // Express could not decode a path parameter (a percent-escape that is not UTF-8): the caller's URL is wrong.
  if (e instanceof URIError && e.status === 400) {
    return { status: 400, code: 'invalid_path', title: 'Bad Request', detail: 'A path segment is not valid percent-encoded UTF-8.' };
  }
  // Any other refusal of the body by the parser (a corrupt gzip stream, a Content-Length that does not match,
  // a client that went away mid-body) is the request's fault, not ours.
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return { status: 400, code: 'invalid_body', title: 'Bad Request', detail: 'The request body could not be read: send it whole, as UTF-8 JSON (gzip or deflate if compressed), with a matching Content-Length.' };
  }
  return { status: 500, code: 'internal_error', title: 'Internal Server Error', detail: 'Something went wrong on our side; it has been logged.' };
}

function titleFor(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Content',
    429: 'Too Many Requests',
    503: 'Service Unavailable',
  };
  return titles[status] ?? 'Error';
}

/** The driver's code and message, without the query and its parameters (which may carry a member's details). */
function causeOf(err: unknown): string {
  let e: unknown = err;
  while (e && typeof e === 'object' && 'cause' in e && (e as { cause?: unknown }).cause) e = (e as { cause: unknown }).cause;
  const { code, message } = (e ?? {}) as { code?: string; message?: string };
  return [code, message].filter(Boolean).join(': ').slice(0, 200);
}

/**
 * `classifyXeroError` against each shape xero-node rejects with (FACTS.md: a JSON string for Accounting
 * calls, an object with `response` for a non-2xx it parsed, an axios error for client-level calls, a plain
 * Error or an unparsable string for network failures), decided by status and body type, never by text.
 */
import { describe, expect, it } from 'vitest';
import { classifyXeroError } from '../../xero/errors.ts';

/** What xero-node 20 rejects an Accounting call with: a JSON string with lower-case header names. */
const rejection = (statusCode: number, body: unknown, headers: Record<string, string> = {}) => JSON.stringify({ response: { statusCode, body, headers }, body });

describe('classifyXeroError', () => {
  it('reads a 400 ValidationException with per-element messages, in request order', () => {
    const body = {
      ErrorNumber: 10,
      Type: 'ValidationException',
      Message: 'A validation exception occurred',
      Elements: [
        { Name: 'Ada', ValidationErrors: [] },
        { Name: 'Bob', ValidationErrors: [{ Message: "Account code '999' is not a valid code for this document." }] },
      ],
    };
    const failure = classifyXeroError(rejection(400, body, { 'x-minlimit-remaining': '42' }));
    expect(failure).toMatchObject({ kind: 'validation', status: 400, message: "Account code '999' is not a valid code for this document." });
    expect(failure.elements?.map((e) => e.messages)).toEqual([[], ["Account code '999' is not a valid code for this document."]]);
    expect(failure.headers['x-minlimit-remaining']).toBe('42');
  });

  it('tells a validation exception from another 400 by the body type, not the text', () => {
    const failure = classifyXeroError(rejection(400, { Type: 'PostDataInvalidException', Message: 'Invalid Json data' }));
    expect(failure).toMatchObject({ kind: 'bad_request', message: 'Invalid Json data' });
  });

  it("reads a 429's Retry-After (seconds or an HTTP date) and which limit was hit, in any case", () => {
    const minute = classifyXeroError(rejection(429, { Title: 'Too Many Requests' }, { 'Retry-After': '7', 'X-Rate-Limit-Problem': 'Minute' }));
    expect(minute).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7_000, rateLimitProblem: 'minute' });
    const at = new Date(Date.now() + 30_000).toUTCString();
    const day = classifyXeroError(rejection(429, '', { 'retry-after': at, 'x-rate-limit-problem': 'DAY' }));
    expect(day.rateLimitProblem).toBe('day');
    expect(day.retryAfterMs).toBeGreaterThan(25_000);
    expect(day.retryAfterMs).toBeLessThanOrEqual(30_000);
    expect(classifyXeroError(rejection(429, {}, {})).retryAfterMs).toBeUndefined();
  });

  it('reads the problem-details 401 and 403 shapes', () => {
    expect(classifyXeroError(rejection(401, { Title: 'Unauthorized', Status: 401, Detail: 'AuthorizationUnsuccessful' }))).toMatchObject({
      kind: 'auth',
      message: 'Unauthorized: AuthorizationUnsuccessful',
    });
    expect(classifyXeroError(rejection(403, { Title: 'Forbidden', Status: 403, Detail: 'AuthenticationUnsuccessful' })).kind).toBe('forbidden');
  });

  it('classifies 404, 5xx and a network failure (status 0)', () => {
    expect(classifyXeroError(rejection(404, 'The resource you\'re looking for cannot be found')).kind).toBe('not_found');
    expect(classifyXeroError(rejection(503, { Message: 'Service Unavailable' }))).toMatchObject({ kind: 'server', status: 503 });
    expect(classifyXeroError(rejection(0, undefined))).toMatchObject({ kind: 'network', message: 'no answer from Xero' });
  });

  it('accepts an object with `response` (axios style, `status` and `data`), a plain Error and a non-JSON string', () => {
    const axios = { isAxiosError: true, message: 'Request failed with status code 500', response: { status: 500, data: { error: 'server_error' }, headers: {} } };
    expect(classifyXeroError(axios)).toMatchObject({ kind: 'server', status: 500, message: 'server_error' });
    expect(classifyXeroError(new Error('socket hang up'))).toMatchObject({ kind: 'network', status: 0, message: 'socket hang up' });
    expect(classifyXeroError('ECONNRESET')).toMatchObject({ kind: 'network', message: 'ECONNRESET' });
  });
});

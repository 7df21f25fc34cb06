import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../db/unavailable.ts';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });
/** How drizzle hands postgres.js' error on. */
const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: select 1\nparams: '), { cause });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['nothing listens', withCode('ECONNREFUSED')],
    ['the connection broke mid-query', withCode('CONNECTION_CLOSED')],
    ['postgres.js gave up connecting', withCode('CONNECT_TIMEOUT')],
    ['the server is starting up', withCode('57P03', 'the database system is starting up')],
    ['the server was shut down', withCode('57P01', 'terminating connection due to administrator command')],
    ['a connection exception (class 08)', withCode('08006')],
    ['all of localhost\'s addresses refused', Object.assign(new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]), {})],
  ])('is true when %s, wrapped by drizzle or not', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseUnavailable(wrapped(error))).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505')],
    ['a syntax error', withCode('42601')],
    ['an error without a code', new Error('boom')],
    ['not an error at all', 'ECONNREFUSED'],
  ])('is false for %s: the request, not the database, is the problem', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(isDatabaseUnavailable(wrapped(error))).toBe(false);
  });
});

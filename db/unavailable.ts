/**
 * "The database cannot be reached right now", told apart from every other database error: the server is down
 * or restarting, the connection was refused, dropped or timed out. Such a failure says nothing about the
 * request, so callers answer "try again shortly" (HTTP 503) instead of blaming it or hiding it behind a 500.
 *
 * postgres.js reports socket failures with Node's errno codes and its own (`CONNECTION_CLOSED`...), a server
 * shutting down or starting up with SQLSTATEs; drizzle wraps either in a DrizzleQueryError whose `cause` it is.
 */

const UNREACHABLE_CODES = new Set([
  // The socket: nothing listens, the host is gone, the connection broke.
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // postgres.js: its connection ended, was destroyed, or could not be made in time.
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  // The server: shutting down (admin, crash), starting up, out of connection slots.
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** True when `error` (or what it wraps) means the database is unreachable, not that the query was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    // SQLSTATE class 08: connection exceptions.
    if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
    // Several addresses tried at once (localhost as ::1 and 127.0.0.1): all of them refused.
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0 && errors.every((inner) => isDatabaseUnavailable(inner))) return true;
  }
  return false;
}

/** How long a caller should wait before trying again (seconds): a restart takes a few. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

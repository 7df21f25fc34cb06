/**
 * Failures met while talking to Xero on an admin's behalf, as answers the admin can act on. Xero's own
 * words are kept (they name the problem); tokens never appear in them.
 */
import { XeroConnectionUnavailable } from '../../../../xero/access.ts';
import { XeroRequestFailed } from '../../../../xero/errors.ts';
import { XeroIdentityError } from '../../../../xero/identity-client.ts';
import { SCOPE_NEEDS, type ScopeNeed } from '../../../../xero/scopes.ts';
import { HttpError } from '../../../errors.ts';
import { PLAN_REQUIRED_MESSAGE } from './guards.ts';

/** The answer for a failure met while talking to Xero; `undefined` when `err` is not one (a bug, the database). */
export function xeroProblem(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (err instanceof XeroConnectionUnavailable) {
    if (err.problem === 'plan_required') return new HttpError(403, 'plan_required', PLAN_REQUIRED_MESSAGE);
    return new HttpError(409, `xero_${err.problem}`, err.message);
  }
  if (err instanceof XeroIdentityError) {
    if (err.needsReauthorisation) return new HttpError(409, 'xero_credentials_refused', `Xero refused the credentials (${err.error}): reconnect in Settings > Integrations > Xero.`);
    return new HttpError(502, 'xero_unreachable', `Xero's identity service answered ${err.status}: try again in a few minutes.`);
  }
  // fetch() fails with a TypeError carrying the socket error as `cause`; timeouts abort.
  if ((err instanceof TypeError && err.cause) || (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))) {
    return new HttpError(502, 'xero_unreachable', 'Xero did not answer: try again in a few minutes.');
  }
  if (!(err instanceof XeroRequestFailed)) return undefined;
  const failure = err.failure;
  switch (failure.kind) {
    case 'rate_limited': {
      const wait = failure.retryAfterMs ? ` in ${Math.ceil(failure.retryAfterMs / 1000)} s` : ' shortly';
      return new HttpError(503, 'xero_rate_limited', `Xero's call limit for this organisation is spent: try again${wait}.`);
    }
    case 'auth':
      return new HttpError(409, 'xero_needs_reauth', 'Xero refused the access token: reconnect in Settings > Integrations > Xero.');
    case 'scope_missing':
      return new HttpError(409, 'xero_scope_missing', `${failure.message}: add it to the Xero app (or connect again approving it).`);
    case 'forbidden':
      return new HttpError(409, 'xero_forbidden', `Xero refused access (${failure.message}): reconnect and approve every requested permission.`);
    case 'server':
    case 'network':
      return new HttpError(502, 'xero_unreachable', `Xero did not answer properly (${failure.message}): try again in a few minutes.`);
    default:
      return new HttpError(502, 'xero_error', `Xero answered ${failure.status}: ${failure.message}`);
  }
}

/** Rethrows `err` as the admin-facing answer when it came from Xero, unchanged otherwise. */
export function throwAsXeroProblem(err: unknown): never {
  throw xeroProblem(err) ?? err;
}

/** The scope a failed read lacked, when that is why it failed (the caller skips what needed it). */
export function missingScopeOf(err: unknown): ScopeNeed | undefined {
  if (!(err instanceof XeroRequestFailed) || err.failure.kind !== 'scope_missing') return undefined;
  return Object.values(SCOPE_NEEDS).find((need) => need.scope === err.failure.missingScope);
}

/**
 * One Xero Accounting call from an activity, through the Xero client (token, tenant header, one refresh on
 * a 401), with Xero's failures turned into what Temporal should do about them:
 *   - 429: retry the same step after Xero's Retry-After (`ApplicationFailure.nextRetryDelay`);
 *   - 5xx / network: retry with the activity's backoff;
 *   - connection unusable (needs re-authorisation, disconnected, no access to the tenant): non-retryable,
 *     the workflow pauses the organisation until a person reconnects;
 *   - validation / bad request / not found: returned to the caller, which records it against the records;
 *   - a scope the app lacks, for a call that named the scope it needs (xero/scopes.ts): returned to the
 *     caller, which does without (the Demo Company check); the organisation is not paused.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ActivityDeps } from './deps.ts';
import { XeroConnectionUnavailable } from '../xero/access.ts';
import type { AccountingCall, CallOptions } from '../xero/client.ts';
import type { XeroFailure } from '../xero/errors.ts';
import type { ObservedRateLimits } from '../xero/rate-headers.ts';
import { markConnectionNeedsReauth } from '../db/queries/connections.ts';
import { FailureType } from '../workflows/constants.ts';

/** `rateLimits` is absent only when no call reached Xero (a scope the app lacks). */
export type XeroCallResult<T> = { ok: true; body: T; rateLimits: ObservedRateLimits } | { ok: false; failure: XeroFailure; rateLimits?: ObservedRateLimits };

const REFUSED_ACCESS =
  'Xero refused access to this organisation (the connection was removed or lacks a scope): reconnect in Settings > Integrations > Xero';

export async function callXero<T>(deps: ActivityDeps, orgId: string, call: AccountingCall<T>, options?: CallOptions): Promise<XeroCallResult<T>> {
  let answer;
  try {
    // A cancelled activity (timed out at the server, its worker shutting down) stops waiting for Xero: the
    // retry's lookup finds whatever Xero did meanwhile.
    answer = await deps.xero.call(orgId, call, { ...options, signal: Context.current().cancellationSignal });
  } catch (err) {
    if (err instanceof XeroConnectionUnavailable) throw connectionUnavailable(err.message, err.problem);
    throw err;
  }
  if (answer.ok) return answer;
  return handleFailure(deps, orgId, answer.failure, answer.rateLimits);
}

async function handleFailure(deps: ActivityDeps, orgId: string, failure: XeroFailure, rateLimits: ObservedRateLimits | undefined): Promise<XeroCallResult<never>> {
  switch (failure.kind) {
    case 'validation':
    case 'bad_request':
    case 'not_found':
    case 'scope_missing':
      // scope_missing: a call the sync can do without, which the app was never granted (only calls that
      // name their scope get it): the grant is fine, the caller does without. Never a reason to pause.
      return { ok: false, failure, rateLimits };
    case 'rate_limited':
      // The same step again once Xero allows it; the workflow's pacing should make this rare.
      throw ApplicationFailure.create({
        type: FailureType.rateLimited,
        message: `Xero rate limit (${failure.rateLimitProblem ?? 'unknown'}): retrying after ${failure.retryAfterMs ?? 'backoff'} ms`,
        nextRetryDelay: failure.retryAfterMs !== undefined ? Math.max(failure.retryAfterMs, 50) : undefined,
        details: [{ rateLimitProblem: failure.rateLimitProblem, rateLimits }],
      });
    case 'auth':
    case 'forbidden':
      // A second 401 after a fresh token, or a 403: this app no longer has access to the organisation.
      await markConnectionNeedsReauth(deps.db, { orgId, message: REFUSED_ACCESS });
      throw connectionUnavailable(REFUSED_ACCESS, 'needs_reauth');
    case 'server':
    case 'network':
      throw ApplicationFailure.create({ type: FailureType.xeroUnavailable, message: `Xero unavailable (${failure.status || 'no answer'}): ${failure.message}` });
  }
}

function connectionUnavailable(message: string, problem: string): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureType.connectionUnavailable, message, nonRetryable: true, details: [{ problem }] });
}

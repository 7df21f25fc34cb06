/**
 * One Xero Accounting call for one organisation, with everything every call needs: a valid token
 * (refreshed once on a 401), the rate budget read from the answer, and failures turned into what
 * Temporal should do about them:
 *   - 429: retry the same step after Xero's Retry-After (ApplicationFailure.nextRetryDelay);
 *   - 5xx / network: retry with the activity's backoff;
 *   - connection unusable (needs re-authorisation, disconnected, no access to the tenant): non-retryable,
 *     the workflow pauses the organisation until a person reconnects;
 *   - validation / bad request / not found: returned to the caller, which records it against the records.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { AccountingApi } from 'xero-node';
import type { ActivityDeps } from '../deps.ts';
import { accountingApi } from './accounting.ts';
import { XeroConnectionUnavailable } from './access.ts';
import { classifyXeroError, type XeroFailure } from './errors.ts';
import { readRateBudget, type RateBudget } from './rate-budget.ts';
import { markConnectionNeedsReauth } from '../../db/queries/connections.ts';

export interface ObservedBudget extends RateBudget {
  /** Epoch ms when the answer arrived: the workflow aligns its view of Xero's minute window on it. */
  observedAt: number;
}

export type XeroCallResult<T> = { ok: true; body: T; budget: ObservedBudget } | { ok: false; failure: XeroFailure; budget: ObservedBudget };

export const XERO_CONNECTION_UNAVAILABLE = 'XeroConnectionUnavailable';
export const XERO_RATE_LIMITED = 'XeroRateLimited';
export const XERO_UNAVAILABLE = 'XeroUnavailable';

type Call<T> = (api: AccountingApi, tenantId: string) => Promise<{ response: { headers?: Record<string, unknown> }; body?: T }>;

export async function callXero<T>(deps: ActivityDeps, orgId: string, call: Call<T>): Promise<XeroCallResult<T>> {
  let access = await connectionOrFail(() => deps.xeroAccess.forOrg(orgId));
  for (let attempt = 0; ; attempt++) {
    try {
      const { response, body } = await call(accountingApi({ apiUrl: deps.xeroApiUrl, accessToken: access.accessToken }), access.tenantId);
      return { ok: true, body: body as T, budget: observe(response.headers) };
    } catch (error) {
      const failure = classifyXeroError(error);
      if (failure.kind === 'auth' && attempt === 0) {
        // Expired or rotated under us: one refresh (serialised across workers), then the same call again.
        const rejected = access.accessToken;
        access = await connectionOrFail(() => deps.xeroAccess.afterUnauthorized(orgId, rejected));
        continue;
      }
      return handleFailure(deps, orgId, failure);
    }
  }
}

async function handleFailure(deps: ActivityDeps, orgId: string, failure: XeroFailure): Promise<XeroCallResult<never>> {
  const budget = observe(failure.headers);
  switch (failure.kind) {
    case 'validation':
    case 'bad_request':
    case 'not_found':
      return { ok: false, failure, budget };
    case 'rate_limited':
      // The same step again once Xero allows it; the workflow's pacing should make this rare.
      throw ApplicationFailure.create({
        type: XERO_RATE_LIMITED,
        message: `Xero rate limit (${failure.rateLimitProblem ?? 'unknown'}): retrying after ${failure.retryAfterMs ?? 'backoff'} ms`,
        nextRetryDelay: failure.retryAfterMs !== undefined ? Math.max(failure.retryAfterMs, 50) : undefined,
        details: [{ rateLimitProblem: failure.rateLimitProblem, budget }],
      });
    case 'auth':
    case 'forbidden': {
      // A second 401 after a fresh token, or a 403: this app no longer has access to the organisation.
      const message =
        'Xero refused access to this organisation (the connection was removed or lacks a scope): reconnect in Settings > Integrations > Xero';
      await markConnectionNeedsReauth(deps.db, { orgId, message });
      throw ApplicationFailure.create({ type: XERO_CONNECTION_UNAVAILABLE, message, nonRetryable: true, details: [{ problem: 'needs_reauth' }] });
    }
    case 'server':
    case 'network':
      throw ApplicationFailure.create({ type: XERO_UNAVAILABLE, message: `Xero unavailable (${failure.status || 'no answer'}): ${failure.message}` });
  }
}

async function connectionOrFail<T>(get: () => Promise<T>): Promise<T> {
  try {
    return await get();
  } catch (err) {
    if (err instanceof XeroConnectionUnavailable) {
      throw ApplicationFailure.create({ type: XERO_CONNECTION_UNAVAILABLE, message: err.message, nonRetryable: true, details: [{ problem: err.problem }] });
    }
    throw err;
  }
}

function observe(headers: Record<string, unknown> | undefined): ObservedBudget {
  return { ...readRateBudget(headers), observedAt: Date.now() };
}

/**
 * Pushing one batch (≤ 50 records of one kind) to Xero in ONE call, the same way for every kind; what
 * differs (which rows, which element, which call, what to store) is the kind's strategy.
 *
 *   - The workflow names the batch (a claim id): a Temporal retry finds the same records under it, and sends
 *     the same body with the same Idempotency-Key, so Xero answers a replay instead of creating twice.
 *   - A retry may follow an answer that was lost after Xero acted: it first asks the workflow for a lookup of
 *     what Xero already holds (a Xero call of its own, through the organisation's pacer), then the batch is
 *     pushed again under the same claim with the ids found.
 *   - Each element's answer is read on its own (`summarizeErrors=false`); Xero's words are stored on the
 *     record with a hint, and a record Xero says exists already is held for a lookup and adopted.
 *   - A record naming something our copy of the organisation's Xero lists does not know (a tracking option, a
 *     branding theme) holds the batch: the workflow refreshes the list (a paced call of its own) and pushes
 *     the batch again, when the name is either found or an error on the record.
 *   - A record changed while its batch was in flight goes back to pending, never to synced.
 */
import { Context } from '@temporalio/activity';
import type { SyncLogEntry } from '../../db/queries/sync-log.ts';
import { runWrites } from '../../db/queries/writes.ts';
import {
  adoptXeroIds,
  claimBatch,
  claimedRecords,
  holdForLookup,
  recordPushResults,
  settledRecords,
  xeroIdsHeldElsewhere,
  type PushResult,
} from '../../db/queries/push-claims.ts';
import type { ObservedRateLimits } from '../../xero/rate-headers.ts';
import type { XeroCatalogueKind } from '../../db/schema/index.ts';
import { batchSizeOf } from '../../workflows/constants.ts';
import type { ActivityDeps } from '../deps.ts';
import { callXero } from '../xero-call.ts';
import { hintFor } from './hints.ts';
import { batchIdempotencyKey } from './idempotency.ts';
import type { AnyPushStrategy, LookupReason, PushedRecordType, Taken } from './strategy.ts';

export type { PushedRecordType, LookupReason } from './strategy.ts';

export interface PushBatchInput {
  orgId: string;
  recordType: PushedRecordType;
  /** Named by the workflow; stable across retries of this activity. */
  claimId: string;
  /** The workflow refreshed the organisation's Xero lists this batch asked for (see `refresh`). */
  catalogueRefreshed?: boolean;
}

export interface PushBatchResult {
  claimed: number;
  synced: number;
  failed: number;
  /** Left pending (changed while in flight, adopted after a duplicate). */
  requeued: number;
  /** Left pending because Xero refused for the whole organisation for now (a plan's limit): they wait. */
  deferred?: number;
  /** Some records are still held by the claim and need a lookup before they can go (see above). */
  lookup?: LookupReason;
  /** Invoices Xero should email now that it holds them. */
  toEmail?: string[];
  /** Invoices Xero approved whose online invoice link is to be fetched. */
  toLink?: string[];
  /** Nothing was sent: the batch waits (still claimed) for a refresh of these Xero lists, then goes again. */
  refresh?: XeroCatalogueKind[];
  /** What Xero answered of the budget; absent when no call was made. */
  rateLimits?: ObservedRateLimits;
}

export interface LookupInput extends PushBatchInput {
  reason: LookupReason;
}

export interface LookupResult {
  adopted: number;
  synced: number;
  failed: number;
  requeued: number;
  /** Records the claim still holds: push the batch again. */
  stillClaimed: number;
  rateLimits?: ObservedRateLimits;
}

type Strategies = Record<PushedRecordType, AnyPushStrategy>;

export function pushBatch(deps: ActivityDeps, strategies: Strategies) {
  return async ({ orgId, recordType, claimId, catalogueRefreshed = false }: PushBatchInput): Promise<PushBatchResult> => {
    const strategy = strategies[recordType];
    const { activityId, attempt } = Context.current().info;
    const settledBy = `${claimId} ${activityId}`;
    // A retry may follow an attempt that stored its results but whose answer was lost: what that attempt
    // settled is answered again, and the claim takes nothing new (the records it still holds, if any, go on).
    const earlier = attempt > 1 ? await answerAgain(deps, strategy, { orgId, recordType, settledBy }) : undefined;
    const claims = earlier ? await claimedRecords(deps.db, { orgId, claimId }) : await claimBatch(deps.db, { orgId, recordType, claimId, limit: batchSizeOf(recordType) });
    if (claims.length === 0) return earlier ?? { claimed: 0, synced: 0, failed: 0, requeued: 0 };
    if (attempt > 1 && strategy.lookup) return withEarlier(earlier, { claimed: claims.length, synced: 0, failed: 0, requeued: 0, lookup: 'retry' });

    const loaded = await strategy.load(deps, orgId, claims, { catalogueRefreshed });
    const results: PushResult[] = [];
    const sending: Array<{ claim: (typeof claims)[number]; element: unknown }> = [];
    const missing = new Set<XeroCatalogueKind>();
    for (const claim of claims) {
      const prepared = strategy.prepare(claim, loaded);
      if ('missing' in prepared) missing.add(prepared.missing);
      else if ('element' in prepared) sending.push({ claim, element: prepared.element });
      else results.push({ recordId: claim.recordId, version: claim.version, ...prepared.settled });
    }
    // Held whole: the same records go out together after the refresh, under the same claim.
    if (missing.size > 0 && !catalogueRefreshed) return { claimed: claims.length, synced: 0, failed: 0, requeued: 0, refresh: [...missing] };

    const taken: Array<Taken<unknown, unknown>> = [];
    const held: Array<{ recordId: string; error: string }> = [];
    let deferredBy: string | undefined;
    let rateLimits: ObservedRateLimits | undefined;
    if (sending.length > 0) {
      const elements = sending.map((s) => s.element);
      const key = batchIdempotencyKey(orgId, claimId, elements);
      const answer = await callXero(deps, orgId, (api, tenantId) => strategy.send(api, tenantId, elements, key));
      rateLimits = answer.rateLimits;
      const answered = answer.ok ? strategy.answered(answer.body) : [];
      for (const [i, { claim, element }] of sending.entries()) {
        const reply = answered[i];
        // A refusal of the whole request (not per element) carries Xero's message to every record.
        const errors = answer.ok ? (reply?.errors ?? []) : [answer.failure.message];
        const message = errors.join(' ') || `Xero did not return this ${recordType}`;
        if (answer.ok && reply?.xeroId && errors.length === 0) {
          results.push({ recordId: claim.recordId, version: claim.version, outcome: 'synced', xeroId: reply.xeroId });
          taken.push({ claim, element, answer: reply.answer });
        } else if (answer.ok && !claim.xeroId && strategy.isDuplicate?.(errors, loaded)) {
          held.push({ recordId: claim.recordId, error: message });
        } else if (answer.ok && strategy.deferral?.(errors, claim)) {
          deferredBy = message;
          results.push({ recordId: claim.recordId, version: claim.version, outcome: 'pending', error: message, hint: strategy.deferral(errors, claim)!.hint });
        } else {
          results.push({ recordId: claim.recordId, version: claim.version, outcome: 'failed', error: message, hint: hintFor(message) });
        }
      }
    }

    const planned = strategy.writes?.({ orgId, taken, loaded });
    const log = pushLogEntries(orgId, recordType, results);
    let stored: { toEmail?: string[]; toLink?: string[] };
    if (planned && !deferredBy && held.length === 0) {
      // The usual batch: results, log, events and the kind's writes in ONE statement.
      await recordPushResults(deps.db, { orgId, recordType, results, log, writes: planned.writes, settledBy });
      stored = planned;
    } else {
      // One transaction; its statements go out together (pipelined on the connection), none waits for another.
      stored = await deps.db.transaction(async (tx) => {
        const [extra] = await Promise.all([
          (async () => {
            const extra = planned ? await runWrites(tx, planned.writes).then(() => planned) : await strategy.store?.(tx, { orgId, taken, loaded });
            // After the kind's writes: a batch that both created a contact and met the plan's cap ends held.
            if (deferredBy) await strategy.deferred?.(tx, { orgId, xeroMessage: deferredBy });
            return extra;
          })(),
          recordPushResults(tx, { orgId, recordType, results, log, settledBy }),
          holdForLookup(tx, { orgId, claimId, held }),
        ]);
        return extra ?? {};
      });
    }
    const outcome = summarise(results);
    deps.metrics.push.recordOutcomes(recordType, outcome);
    return withEarlier(earlier, {
      ...outcome,
      claimed: claims.length,
      lookup: held.length > 0 ? 'duplicates' : undefined,
      toEmail: stored.toEmail,
      toLink: stored.toLink?.length ? stored.toLink : undefined,
      rateLimits,
    });
  };
}

/**
 * What an earlier attempt of this push stored before its answer was lost (its worker died in between): how
 * many it took, and the emails and online links that follow, which the workflow has nowhere else to learn
 * of; worked out from what it stored. Undefined when it stored nothing.
 */
async function answerAgain(deps: ActivityDeps, strategy: AnyPushStrategy, { orgId, recordType, settledBy }: { orgId: string; recordType: PushedRecordType; settledBy: string }): Promise<PushBatchResult | undefined> {
  const settled = await settledRecords(deps.db, { orgId, recordType, settledBy });
  if (settled.length === 0) return undefined;
  const counted = (state: string) => settled.filter((r) => r.state === state).length;
  const answer: PushBatchResult = { claimed: settled.length, synced: counted('synced'), failed: counted('failed'), requeued: counted('pending') };
  if (!strategy.followUps) return answer;
  const { toEmail, toLink } = strategy.followUps(settled, await strategy.load(deps, orgId, settled, { catalogueRefreshed: true }));
  return { ...answer, toEmail: toEmail.length ? toEmail : undefined, toLink: toLink.length ? toLink : undefined };
}

/** This attempt's answer, with what an earlier one stored (`answerAgain`) counted in. */
function withEarlier(earlier: PushBatchResult | undefined, answer: PushBatchResult): PushBatchResult {
  if (!earlier) return answer;
  const joined = (a?: string[], b?: string[]) => (a?.length || b?.length ? [...(a ?? []), ...(b ?? [])] : undefined);
  return {
    ...answer,
    claimed: earlier.claimed + answer.claimed,
    synced: earlier.synced + answer.synced,
    failed: earlier.failed + answer.failed,
    requeued: earlier.requeued + answer.requeued,
    toEmail: joined(earlier.toEmail, answer.toEmail),
    toLink: joined(earlier.toLink, answer.toLink),
  };
}

/**
 * Looks up, in ONE call, what Xero already holds for the records a batch still holds, and adopts it. For a
 * retry the batch then goes out again (the records stay claimed, now with the ids found); for duplicates
 * Xero named, each record is released: pending with the id found (pushed again as an update), or failed
 * with Xero's message when there is nothing of ours to adopt.
 */
export function lookupExisting(deps: ActivityDeps, strategies: Strategies) {
  return async ({ orgId, recordType, claimId, reason }: LookupInput): Promise<LookupResult> => {
    const strategy = strategies[recordType];
    const claims = await claimedRecords(deps.db, { orgId, claimId });
    const none: LookupResult = { adopted: 0, synced: 0, failed: 0, requeued: 0, stillClaimed: 0 };
    if (claims.length === 0 || !strategy.lookup) return { ...none, stillClaimed: claims.length };
    const lookup = strategy.lookup;
    const wanted = claims.filter((c) => !c.xeroId);
    const loaded = await strategy.load(deps, orgId, claims, { catalogueRefreshed: true });
    // After a retry, records Xero already holds may need a look too (a status change whose answer was lost).
    const asked = reason === 'retry' ? claims.filter((c) => !c.xeroId || lookup.alsoAfterRetry?.(c, loaded)) : wanted;
    const request = { deps, orgId, claims: asked, loaded, reason };
    const answer = asked.length > 0 ? await callXero(deps, orgId, (api, tenantId) => lookup.find(api, tenantId, request)) : undefined;
    const found = answer?.ok ? lookup.match(answer.body, request) : new Map<string, string>();
    // A Xero record another of our records already stands for is not this one's.
    const taken = await xeroIdsHeldElsewhere(deps.db, { orgId, recordType, xeroIds: [...found.values()], exceptClaimId: claimId });
    const adopted = new Map([...found].filter(([, xeroId]) => !taken.has(xeroId.toLowerCase())));

    const results: PushResult[] =
      reason === 'duplicates'
        ? wanted.map((c) => {
            const xeroId = adopted.get(c.recordId);
            const error = c.lastError ?? `Xero says this ${recordType} exists already`;
            return xeroId
              ? { recordId: c.recordId, version: c.version, outcome: 'pending' as const, xeroId }
              : { recordId: c.recordId, version: c.version, outcome: 'failed' as const, error, hint: hintFor(error) };
          })
        : [];
    await deps.db.transaction(async (tx) => {
      await adoptXeroIds(tx, { orgId, claimId, adopted });
      if (answer?.ok) await lookup.store?.(tx, { orgId, body: answer.body, adopted, loaded, claims: asked });
      // Keyed by this activity, not the claim's push: a retry of that push reads back only what it stored itself.
      await recordPushResults(tx, { orgId, recordType, results, log: pushLogEntries(orgId, recordType, results), settledBy: `${claimId} ${Context.current().info.activityId}` });
    });
    const stillClaimed = reason === 'retry' ? claims.length : claims.length - wanted.length;
    const outcome = summarise(results);
    deps.metrics.push.recordOutcomes(recordType, outcome);
    return { ...outcome, adopted: adopted.size, stillClaimed, rateLimits: answer?.rateLimits };
  };
}

/** A pending result with Xero's words is deferred (it waits); without, re-queued (it goes out next pass). */
export function summarise(results: PushResult[]) {
  return {
    synced: results.filter((r) => r.outcome === 'synced').length,
    failed: results.filter((r) => r.outcome === 'failed').length,
    requeued: results.filter((r) => r.outcome === 'pending' && !r.error).length,
    deferred: results.filter((r) => r.outcome === 'pending' && r.error).length,
  };
}

/**
 * One log row per record: `ok` when Xero took it, `failed` (Xero's words and our hint), `deferred` when it
 * waits for the organisation's limit. A record re-queued without a word from Xero is not an outcome yet.
 */
export function pushLogEntries(orgId: string, recordType: PushedRecordType, results: PushResult[], action = 'push'): SyncLogEntry[] {
  return results.flatMap((r): SyncLogEntry[] => {
    const entry = { orgId, recordType, recordId: r.recordId, action, message: r.hint ?? null, xeroMessage: r.error ?? null };
    if (r.outcome === 'synced') return [{ ...entry, outcome: 'ok' }];
    if (r.outcome === 'failed') return [{ ...entry, outcome: 'failed' }];
    return r.error ? [{ ...entry, outcome: 'deferred' }] : [];
  });
}

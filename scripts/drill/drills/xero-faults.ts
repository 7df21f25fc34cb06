/**
 * A bad day at Xero during a push: 10 % of calls answered 500/503, 10 % never answered (Xero does the work,
 * the connection drops after a few seconds), and a storm of 429s in the middle. Every record reaches Xero
 * once, and no call the storm turned away comes back before its Retry-After.
 *
 * The storm is armed once the push is under way (a share of the records synced) and begins on the
 * organisation's next call, so it always meets calls; a storm that served no 429, or faults that never
 * fired, prove nothing and fail the drill.
 */
import { connectOrg, invoicesOf, mainAppCalls, members, pushedFigure, pushOutcome, syncCounts, waitFor, type DrillContext, type DrillResult } from '../kit.ts';

/** Xero seconds of 429s (3 s at the drills' time scale of 10): long enough to meet the calls of every lane. */
const STORM_SECONDS = 30;

export async function xeroFaultsDrill(ctx: DrillContext): Promise<DrillResult> {
  const { stack, quick, log } = ctx;
  const n = quick ? 100 : 500;
  const org = await connectOrg(stack);
  const api = mainAppCalls(stack, org.orgId);
  const before = await stack.sandbox.counters();
  await stack.sandbox.setFaults({ errorRate: 0.1, errorStatuses: [500, 503], timeoutRate: 0.1, timeoutMode: 'hang', timeoutMs: 3_000, seed: 11 });
  const started = Date.now();
  let outcome: Awaited<ReturnType<typeof pushOutcome>>;
  let armedAt: number | undefined;
  try {
    await api.putContacts(members(n, 'xf'));
    await api.putInvoices(invoicesOf(n, 'xf'));
    armedAt = await waitFor(async () => {
      const { synced } = await syncCounts(stack, org.orgId);
      return synced >= Math.floor(0.3 * 2 * n) ? synced : undefined;
    }, { timeoutMs: 300_000, intervalMs: 50 });
    // The storm begins on the organisation's next call, whenever it comes: it cannot fall between calls.
    await stack.sandbox.rateLimitStorm({ seconds: STORM_SECONDS, tenantId: org.tenantId, afterCalls: 0 });
    log(`xero-faults: a 429 storm of ${STORM_SECONDS} Xero s armed with ${armedAt ?? '?'}/${2 * n} synced`);
    outcome = await pushOutcome(ctx, org, 2 * n, quick ? 150_000 : 300_000);
  } finally {
    await stack.sandbox.setFaults({ errorRate: 0, timeoutRate: 0 });
  }
  const after = await stack.sandbox.counters();
  const storm = await stack.sandbox.rateLimitStormStatus();
  const errors = Object.entries(after.faults.byStatus).reduce((sum, [status, count]) => sum + count - (before.faults.byStatus[status] ?? 0), 0);
  const timeouts = after.faults.timeouts - before.faults.timeouts;
  const calls = Object.values(after.calls[org.tenantId] ?? {}).reduce((a, b) => a + b, 0);
  const problems = [...outcome.problems];
  if (armedAt === undefined) problems.push(`the push never got under way (fewer than ${Math.floor(0.3 * 2 * n)} records synced), so the storm was never armed`);
  if (storm.served === 0) problems.push(`the 429 storm served no 429 (it is ${storm.state}): it met no call and proves nothing`);
  if (storm.retriedEarly > 0) problems.push(`${storm.retriedEarly} calls turned away by the storm came back before their Retry-After`);
  if (errors === 0) problems.push('no injected 5xx was served: the faults proved nothing');
  if (timeouts === 0) problems.push('no injected timeout was served: the faults proved nothing');
  const stormSpan = storm.startedAt !== undefined && storm.until !== undefined ? `${((storm.until - storm.startedAt) / 1000).toFixed(1)} s` : 'never begun';
  return {
    name: 'xero-faults',
    completed: outcome.completed,
    expected: 2 * n,
    duplicates: outcome.duplicates,
    lost: outcome.lost,
    events: stack.mainApp.counts([org.orgId]),
    figures: [
      `${pushedFigure(n, started, outcome)}; ${calls} calls answered, ${errors} injected 5xx, ${timeouts} unanswered, ` +
        `${storm.served} 429s of the storm (${STORM_SECONDS} Xero s = ${stormSpan}, armed with ${armedAt ?? "?"}/${2 * n} synced), ${storm.retriedEarly} calls back before their Retry-After`,
    ],
    problems,
  };
}

/**
 * A bad day at Xero during a push: 10 % of calls answered 500/503, 10 % never answered (Xero does the work,
 * the connection drops after a few seconds), and a storm of 429s for a while in the middle. Every record
 * reaches Xero once.
 */
import { connectOrg, invoicesOf, mainAppCalls, members, pushedFigure, pushOutcome, syncCounts, waitFor, type DrillContext, type DrillResult } from '../kit.ts';

export async function xeroFaultsDrill(ctx: DrillContext): Promise<DrillResult> {
  const { stack, quick, log } = ctx;
  const n = quick ? 100 : 500;
  const org = await connectOrg(stack);
  const api = mainAppCalls(stack, org.orgId);
  const before = await stack.sandbox.counters();
  await stack.sandbox.setFaults({ errorRate: 0.1, errorStatuses: [500, 503], timeoutRate: 0.1, timeoutMode: 'hang', timeoutMs: 3_000, seed: 11 });
  const started = Date.now();
  let outcome: Awaited<ReturnType<typeof pushOutcome>>;
  try {
    await api.putContacts(members(n, 'xf'));
    await api.putInvoices(invoicesOf(n, 'xf'));
    await waitFor(async () => ((await syncCounts(stack, org.orgId)).synced >= Math.floor(0.3 * 2 * n) ? true : undefined), { timeoutMs: 300_000, intervalMs: 100 });
    // Every call answered 429 for a while (Xero seconds: 30 of them at the drill's time scale).
    await stack.sandbox.rateLimitStorm(quick ? 20 : 30);
    log('xero-faults: a 429 storm');
    outcome = await pushOutcome(ctx, org, 2 * n, quick ? 150_000 : 300_000);
  } finally {
    await stack.sandbox.setFaults({ errorRate: 0, timeoutRate: 0 });
  }
  const after = await stack.sandbox.counters();
  const errors = Object.entries(after.faults.byStatus).reduce((sum, [status, count]) => sum + count - (before.faults.byStatus[status] ?? 0), 0);
  const timeouts = after.faults.timeouts - before.faults.timeouts;
  const storm = after.rateLimited.injected - before.rateLimited.injected;
  const calls = Object.values(after.calls[org.tenantId] ?? {}).reduce((a, b) => a + b, 0);
  return {
    name: 'xero-faults',
    completed: outcome.completed,
    expected: 2 * n,
    duplicates: outcome.duplicates,
    lost: outcome.lost,
    events: stack.mainApp.counts([org.orgId]),
    figures: [`${pushedFigure(n, started, outcome)}; ${calls} calls answered, ${errors} injected 5xx, ${timeouts} unanswered, ${storm} 429s of the storm`],
    problems: outcome.problems,
  };
}

/**
 * kill -9 the Temporal server in the middle of a push and start it again on the same history: the worker and
 * the API carry on without a restart of their own, and every record reaches Xero once.
 */
import { connectOrg, invoicesOf, mainAppCalls, members, pushOutcome, seconds, syncCounts, waitFor, type DrillContext, type DrillResult } from '../kit.ts';

export async function temporalKillDrill(ctx: DrillContext): Promise<DrillResult> {
  const { stack, quick, log } = ctx;
  const n = quick ? 150 : 1_000;
  const org = await connectOrg(stack);
  const restarts = { worker: stack.worker.starts, api: stack.api.starts };
  const api = mainAppCalls(stack, org.orgId);
  const started = Date.now();
  await api.putContacts(members(n, 'tk'));
  await api.putInvoices(invoicesOf(n, 'tk'));
  await waitFor(async () => ((await syncCounts(stack, org.orgId)).synced >= Math.floor(0.3 * 2 * n) ? true : undefined), { timeoutMs: 300_000, intervalMs: 100 });

  const atKill = (await syncCounts(stack, org.orgId)).synced;
  const killedAt = Date.now();
  await stack.temporal.crash();
  log(`temporal-kill: Temporal killed with ${atKill}/${2 * n} synced`);
  // Down long enough for every client to notice (polls, signals and activity completions fail meanwhile).
  await new Promise((r) => setTimeout(r, quick ? 2_000 : 5_000));
  await stack.temporal.start();
  const backAt = Date.now();
  const resumed = await waitFor(async () => ((await syncCounts(stack, org.orgId)).synced > atKill ? Date.now() : undefined), { timeoutMs: 300_000, intervalMs: 100 });

  const outcome = await pushOutcome(ctx, org, 2 * n, quick ? 120_000 : 300_000);
  const problems = outcome.timedOut ? [`records still pending after the wait: ${JSON.stringify(outcome.counts)}`] : [];
  if (stack.worker.starts !== restarts.worker || stack.api.starts !== restarts.api) problems.push('the worker or the API had to be restarted');
  return {
    name: 'temporal-kill',
    completed: outcome.completed,
    expected: 2 * n,
    duplicates: outcome.duplicates,
    lost: outcome.lost,
    events: stack.mainApp.counts([org.orgId]),
    figures: [
      `Temporal down ${seconds(backAt - killedAt)} at ${atKill}/${2 * n} synced, pushes resumed ${resumed ? seconds(resumed - backAt) : 'never'} after it was back`,
      `worker and API restarts: 0 needed`,
      `${n} contacts + ${n} invoices in ${seconds(Date.now() - started)}`,
    ],
    problems,
  };
}

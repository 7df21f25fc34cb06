/**
 * kill -9 the Temporal server in the middle of a push and start it again on the same history: the worker and
 * the API carry on without a restart of their own, and every record reaches Xero once.
 */
import { connectOrg, invoicesOf, mainAppCalls, members, pushedFigure, pushOutcome, seconds, syncCounts, waitFor, type DrillContext, type DrillResult } from '../kit.ts';

export async function temporalKillDrill(ctx: DrillContext): Promise<DrillResult> {
  const { stack, quick, log } = ctx;
  const n = quick ? 200 : 1_000;
  const org = await connectOrg(stack);
  const restarts = { worker: stack.worker.starts, api: stack.api.starts };
  const api = mainAppCalls(stack, org.orgId);
  const started = Date.now();
  await api.putContacts(members(n, 'tk'));
  await api.putInvoices(invoicesOf(n, 'tk'));
  // Killed with work left beyond the calls under way (at most the pacer's 4 batches of 50).
  const killAt = quick ? 50 : Math.floor(0.3 * 2 * n);
  await waitFor(async () => ((await syncCounts(stack, org.orgId)).synced >= killAt ? true : undefined), { timeoutMs: 300_000, intervalMs: 100 });

  const atKill = (await syncCounts(stack, org.orgId)).synced;
  const killedAt = Date.now();
  await stack.temporal.crash();
  log(`temporal-kill: Temporal killed with ${atKill}/${2 * n} synced`);
  // Down long enough for every client to notice (polls, signals and activity completions fail meanwhile).
  await new Promise((r) => setTimeout(r, quick ? 2_000 : 5_000));
  const restartedAt = Date.now();
  await stack.temporal.start();
  const backAt = Date.now();
  // Calls already under way when Temporal died finish and commit meanwhile: progress counts from here.
  const atBack = (await syncCounts(stack, org.orgId)).synced;
  const resumed = atBack >= 2 * n ? undefined : await waitFor(async () => ((await syncCounts(stack, org.orgId)).synced > atBack ? Date.now() : undefined), { timeoutMs: 300_000, intervalMs: 100 });

  const outcome = await pushOutcome(ctx, org, 2 * n, quick ? 120_000 : 300_000);
  const problems = [...outcome.problems];
  if (stack.worker.starts !== restarts.worker || stack.api.starts !== restarts.api) problems.push('the worker or the API had to be restarted');
  return {
    name: 'temporal-kill',
    completed: outcome.completed,
    expected: 2 * n,
    duplicates: outcome.duplicates,
    lost: outcome.lost,
    events: stack.mainApp.counts([org.orgId]),
    figures: [
      `Temporal down ${seconds(restartedAt - killedAt)} at ${atKill}/${2 * n} synced (${atBack - atKill} more committed by calls under way), ${atBack >= 2 * n ? 'nothing left to resume' : `pushes resumed ${resumed ? seconds(resumed - restartedAt) : 'never'} after the restart began (the server took ${seconds(backAt - restartedAt)} to answer)`}`,
      `worker and API restarts: 0 needed`,
      pushedFigure(n, started, outcome),
    ],
    problems,
  };
}

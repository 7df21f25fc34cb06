/**
 * kill -9 the worker several times while it pushes contacts and invoices, starting a new one at once each
 * time: every record reaches Xero once, and the organisation's pushes resume within seconds of each kill
 * (the lost attempts are retried on heartbeat timeout, and their lookups adopt what Xero did meanwhile).
 */
import { connectOrg, invoicesOf, mainAppCalls, members, pushedFigure, pushOutcome, seconds, syncCounts, waitFor, type DrillContext, type DrillResult } from '../kit.ts';

/** The goal for a replacement worker to resume an organisation's pushes, from the kill. */
const RESUME_GOAL_MS = 15_000;

export async function workerKillDrill(ctx: DrillContext): Promise<DrillResult> {
  const { stack, quick, log } = ctx;
  const n = quick ? 150 : 2_000;
  const kills = quick ? 1 : 5;
  const org = await connectOrg(stack);
  const startsBefore = stack.worker.starts;
  const api = mainAppCalls(stack, org.orgId);
  const started = Date.now();
  await api.putContacts(members(n, 'wk'));
  await api.putInvoices(invoicesOf(n, 'wk'));

  const resumedAfter: number[] = [];
  const step = Math.floor((2 * n) / (kills + 1));
  for (let k = 1; k <= kills; k++) {
    // Kill when another share of the work is done: the worker is then in the middle of Xero calls.
    const due = await waitFor(async () => ((await syncCounts(stack, org.orgId)).synced >= k * step ? true : undefined), { timeoutMs: 300_000, intervalMs: 100 });
    if (!due) break;
    if ((await syncCounts(stack, org.orgId)).synced >= 2 * n) break;
    const killedAt = Date.now();
    await stack.worker.crash();
    // Counted once the worker is gone: whatever it committed up to its death is not the new worker's progress.
    const atKill = (await syncCounts(stack, org.orgId)).synced;
    log(`worker-kill: kill ${k} with ${atKill}/${2 * n} synced; starting a new worker`);
    await stack.worker.start();
    const resumed = await waitFor(async () => ((await syncCounts(stack, org.orgId)).synced > atKill ? Date.now() : undefined), { timeoutMs: 300_000, intervalMs: 100 });
    if (resumed) resumedAfter.push(resumed - killedAt);
  }

  const outcome = await pushOutcome(ctx, org, 2 * n, quick ? 120_000 : 300_000);
  const worst = Math.max(0, ...resumedAfter);
  return {
    name: 'worker-kill',
    completed: outcome.completed,
    expected: 2 * n,
    duplicates: outcome.duplicates,
    lost: outcome.lost,
    events: stack.mainApp.counts([org.orgId]),
    figures: [
      `${stack.worker.starts - startsBefore} kill -9 of the worker; ${pushedFigure(n, started, outcome)}`,
      `pushes resumed after each kill in ${resumedAfter.map(seconds).join(', ') || '-'} (worst ${seconds(worst)}, goal <= ${seconds(RESUME_GOAL_MS)}: ${worst <= RESUME_GOAL_MS ? 'met' : 'MISSED'})`,
    ],
    problems: outcome.problems,
  };
}

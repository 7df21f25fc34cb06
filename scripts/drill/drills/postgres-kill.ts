/**
 * kill -9 PostgreSQL (the server and every backend) in the middle of a push and start it again: the API
 * answers 503 database_unavailable with Retry-After while it is down, the worker's steps retry, and both
 * carry on without a restart of their own; every record reaches Xero once.
 */
import { connectOrg, invoicesOf, mainAppCalls, members, pushedFigure, pushOutcome, seconds, syncCounts, waitFor, type DrillContext, type DrillResult } from '../kit.ts';

export async function postgresKillDrill(ctx: DrillContext): Promise<DrillResult> {
  const { stack, quick, log } = ctx;
  const n = quick ? 150 : 1_000;
  const org = await connectOrg(stack);
  const restarts = { worker: stack.worker.starts, api: stack.api.starts };
  const api = mainAppCalls(stack, org.orgId);
  const started = Date.now();
  await api.putContacts(members(n, 'pk'));
  await api.putInvoices(invoicesOf(n, 'pk'));
  await waitFor(async () => ((await syncCounts(stack, org.orgId)).synced >= Math.floor(0.3 * 2 * n) ? true : undefined), { timeoutMs: 300_000, intervalMs: 100 });

  const atKill = (await syncCounts(stack, org.orgId)).synced;
  const killedAt = Date.now();
  await stack.postgres.crash();
  log(`postgres-kill: PostgreSQL killed with ${atKill}/${2 * n} synced`);
  // The main app keeps calling meanwhile: a read and a write, each must say "try again" the documented way.
  const problems: string[] = [];
  const answers: string[] = [];
  for (const [method, path, body] of [
    ['GET', '/contacts/pk-m0'],
    ['PUT', '/contacts/pk-late', { name: 'Late Member', email: 'late@example.org' }],
  ] as const) {
    const res = await api.call(method, path, body);
    answers.push(`${method} ${res.status} ${String(res.body.code ?? '')}`);
    if (res.status !== 503 || res.body.code !== 'database_unavailable' || !res.headers.get('retry-after') || !res.headers.get('content-type')?.startsWith('application/problem+json')) {
      problems.push(`${method} ${path} while the database was down answered ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  await new Promise((r) => setTimeout(r, quick ? 2_000 : 5_000));
  const restartedAt = Date.now();
  await stack.postgres.start();
  const backAt = Date.now();
  const resumed = await waitFor(async () => ((await syncCounts(stack, org.orgId)).synced > atKill ? Date.now() : undefined), { timeoutMs: 300_000, intervalMs: 100 });
  // The write refused while the database was down is the main app's to send again; it is, and it goes through.
  const again = await waitFor(async () => ((await api.call('PUT', '/contacts/pk-late', { name: 'Late Member', email: 'late@example.org' })).status === 200 ? true : undefined), { timeoutMs: 60_000 });
  if (!again) problems.push('the API did not accept records again after PostgreSQL came back');

  const outcome = await pushOutcome(ctx, org, 2 * n + 1, quick ? 120_000 : 300_000);
  problems.push(...outcome.problems);
  if (stack.worker.starts !== restarts.worker || stack.api.starts !== restarts.api) problems.push('the worker or the API had to be restarted');
  return {
    name: 'postgres-kill',
    completed: outcome.completed,
    expected: 2 * n + 1,
    duplicates: outcome.duplicates,
    lost: outcome.lost,
    events: stack.mainApp.counts([org.orgId]),
    figures: [
      `PostgreSQL down ${seconds(restartedAt - killedAt)} at ${atKill}/${2 * n} synced, its restart (crash recovery) ${seconds(backAt - restartedAt)}; the API meanwhile: ${answers.join(', ')}`,
      `pushes resumed ${resumed ? seconds(resumed - backAt) : 'never'} after it answered; worker and API restarts: 0 needed`,
      `${pushedFigure(n, started, outcome)} (and 1 contact sent again after the outage)`,
    ],
    problems,
  };
}

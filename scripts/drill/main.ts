/**
 * `npm run drill`: faults on the real processes, with nothing lost and nothing twice. Each drill prints one
 * line (`drill <name>, completed, duplicates in Xero, lost, events to the main app: sent / distinct / repeated`
 * and its own figures); the run exits 1 if any drill lost or duplicated anything, or saw a wrong answer.
 *
 *   npm run drill                          every drill, full size (minutes)
 *   npm run drill -- --quick               a short version of each (what `npm test` runs)
 *   npm run drill -- --only worker-kill    one drill (repeatable: --only a --only b)
 *   npm run drill -- --server=postgres     on Temporal Server with PostgreSQL persistence (built with Go once)
 *   npm run drill -- --keep                keep the run's folder (each process's log, the data) afterwards
 *   npm run drill -- --keep --log-level=debug   the worker's and the API's logs at debug (each activity's duration)
 *
 * Everything runs on this machine; traffic goes to 127.0.0.1 only.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { failed, formatResult, type DrillContext, type DrillResult } from './kit.ts';
import { mainAppDownDrill } from './drills/main-app-down.ts';
import { postgresKillDrill } from './drills/postgres-kill.ts';
import { temporalDownWebhooksDrill } from './drills/temporal-down-webhooks.ts';
import { temporalKillDrill } from './drills/temporal-kill.ts';
import { workerKillDrill } from './drills/worker-kill.ts';
import { xeroFaultsDrill } from './drills/xero-faults.ts';
import { startDrillStack } from './stack.ts';

const DRILLS: Record<string, (ctx: DrillContext) => Promise<DrillResult>> = {
  'worker-kill': workerKillDrill,
  'temporal-kill': temporalKillDrill,
  'postgres-kill': postgresKillDrill,
  'temporal-down-webhooks': temporalDownWebhooksDrill,
  'xero-faults': xeroFaultsDrill,
  'main-app-down': mainAppDownDrill,
};

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
    server: { type: 'string', default: 'dev' },
    keep: { type: 'boolean', default: false },
    'log-level': { type: 'string', default: 'info' },
    'time-scale': { type: 'string', default: '10' },
  },
});

const LOG_LEVELS = ['info', 'debug', 'trace'] as const;
const names = args.only?.length ? args.only : Object.keys(DRILLS);
const unknown = names.filter((n) => !DRILLS[n]);
if (unknown.length > 0 || (args.server !== 'dev' && args.server !== 'postgres') || !LOG_LEVELS.includes(args['log-level'] as never)) {
  console.error(
    unknown.length
      ? `unknown drill ${unknown.join(', ')} (drills: ${Object.keys(DRILLS).join(', ')})`
      : args.server !== 'dev' && args.server !== 'postgres'
        ? `unknown --server=${args.server} (dev or postgres)`
        : `unknown --log-level=${args['log-level']} (${LOG_LEVELS.join(', ')})`,
  );
  process.exit(2);
}

const log = (line: string) => console.error(`[drill] ${line}`);
const started = Date.now();
log(`${names.join(', ')}${args.quick ? ' (quick)' : ''} on ${args.server === 'postgres' ? 'Temporal Server on PostgreSQL' : 'the Temporal dev server'}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const stack = await startDrillStack({ server: args.server as 'dev' | 'postgres', timeScale: Number(args['time-scale']), log, keep: args.keep, logLevel: args['log-level'] as (typeof LOG_LEVELS)[number] });
let failures = 0;
try {
  for (const name of names) {
    const drillStarted = Date.now();
    let result: DrillResult;
    try {
      result = await DRILLS[name]!({ stack, quick: args.quick, log });
    } catch (err) {
      result = { name, completed: 0, expected: 0, duplicates: 0, lost: 0, events: { sent: 0, distinct: 0, repeated: 0 }, figures: [], problems: [`the drill itself failed: ${err instanceof Error ? err.stack : String(err)}`] };
    }
    // A process of ours that died by itself during the drill is a finding, whatever the counts say.
    for (const service of [stack.worker, stack.api, stack.sandbox]) result.problems.push(...service.unexpectedExits.splice(0));
    if (failed(result)) failures += 1;
    console.log(formatResult(result));
    log(`${name}: ${((Date.now() - drillStarted) / 1000).toFixed(1)} s`);
  }
} finally {
  // A failed drill keeps its folder: each process's log is what tells why.
  await stack.close({ keep: failures > 0 });
  if (args.keep || failures > 0) log(`logs and data kept in ${stack.work}`);
}
log(`${names.length - failures}/${names.length} drills passed in ${((Date.now() - started) / 1000).toFixed(0)} s; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
process.exit(failures > 0 ? 1 : 0);

/**
 * Histories written by earlier versions of the organisation's workflow replay with today's code: a run
 * that began before a change carries on deterministically after a deploy. Each fixture was recorded from
 * the code of its time (see test/fixtures/histories/README.md).
 */
import { readFileSync } from 'node:fs';
import { inject, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import proto from '@temporalio/proto';

/** A recorded history (protobuf object form, as `historyToJSON` writes it) back into a History. */
const fixture = (name: string) =>
  proto.temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(new URL(`../fixtures/histories/${name}`, import.meta.url), 'utf8')));

it('replays a run paced by the first rate budget (1,000 members and invoices at 20 calls a minute: pushes and budget waits)', async () => {
  const history = fixture('xero-tenant-rate-budget-v1.json');
  // Throws DeterminismViolationError if today's code would issue different commands.
  await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history);
});

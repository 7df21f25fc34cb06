/**
 * Histories recorded from released versions (test/fixtures/histories/<release>/, written by
 * `npm run record:histories`) replay with today's code: a run that began before a deploy carries on
 * deterministically after it. A change that would issue other commands for one of them fails here until it
 * is put behind `patched()` (DEVELOPERS.md, versioning).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import proto from '@temporalio/proto';

const root = new URL('../fixtures/histories/', import.meta.url);
const releases = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const recorded = releases.flatMap((release) =>
  readdirSync(new URL(`${release}/`, root))
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({ release, file, url: new URL(`${release}/${file}`, root) })),
);

describe('recorded histories replay with the current workflows', () => {
  it('has histories of every release to replay', () => {
    expect(releases).toContain('v0.1.0');
    expect(recorded.filter((r) => r.release === 'v0.1.0').map((r) => r.file)).toEqual(expect.arrayContaining(['xero-org-run1.json', 'reconcile-schedule.json']));
  });

  it.each(recorded.map((r) => [`${r.release}/${r.file}`, r.url] as const))('replays %s', async (_name, url) => {
    // protobuf object form, as the recorder writes it.
    const history = proto.temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(url, 'utf8')));
    expect(history.events.length).toBeGreaterThan(10);
    // Throws DeterminismViolationError if today's code would issue different commands.
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history);
  });
});

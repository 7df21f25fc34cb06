/**
 * `npm run build` step: bundles the workflows once, at build time, into dist/workflow-bundle.js.
 * A worker given WORKFLOW_BUNDLE_PATH loads it instead of running webpack at start-up, which saves
 * seconds of start-up and ~150 MiB of peak memory per worker process (Temporal's advice for production).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflowCode, type Logger } from '@temporalio/worker';
import { workflowsPath } from '../worker/create-worker.ts';
import { isMainModule } from '../config/process.ts';

export async function writeWorkflowBundle(path: string, logger?: Logger): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, code);
}

if (isMainModule(import.meta.url)) {
  const target = process.argv[2] ?? 'dist/workflow-bundle.js';
  await writeWorkflowBundle(target);
  console.log(`workflow bundle written to ${target}`);
}

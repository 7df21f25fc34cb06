/**
 * The worker as production runs it (`npm run build`, then `npm run start:worker`): compiled to JavaScript and
 * run by plain node, not through tsx, whose loader thread and transform cache a production worker does not
 * carry (they would be a third of what the benchmark reports as the worker's memory).
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Compiles the service into `outDir` (with its migrations); answers the worker's entry point. */
export async function buildWorker(outDir: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    const tsc = spawn(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    tsc.once('error', reject);
    tsc.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsc exited with ${code}`))));
  });
  cpSync(join(root, 'db/migrations'), join(outDir, 'db/migrations'), { recursive: true });
  // Outside the repository the build needs what the repository gives it: ES modules, and the packages.
  writeFileSync(join(outDir, 'package.json'), JSON.stringify({ type: 'module' }));
  const modules = join(dirname(outDir), 'node_modules');
  if (!existsSync(modules)) symlinkSync(join(root, 'node_modules'), modules);
  return join(outDir, 'worker/main.js');
}

import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client.ts';
import { pingDatabase } from '../../db/queries/organisations.ts';

/** `/healthz`: the process is up. `/readyz`: its database and Temporal answer (checked in parallel, with a deadline). */
export function healthRouter({ db, temporal }: { db: Db; temporal: Client }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, temporalCheck] = await Promise.all([
      check(() => pingDatabase(db)),
      check(() => temporal.workflowService.getSystemInfo({})),
    ]);
    const ready = database === 'ok' && temporalCheck === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: { database, temporal: temporalCheck } });
  });
  return router;
}

async function check(probe: () => Promise<unknown>, timeoutMs = 2_000): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.message.split('\n')[0]! : 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}

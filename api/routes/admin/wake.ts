import type { AdminContext } from './deps.ts';

/**
 * Pokes the organisation's workflow after re-queueing. The records are committed already, so a Temporal
 * outage is logged, not failed: the relay wakes organisations whose pending records sit unattempted.
 */
export async function wakeOrgWorkflow({ temporal, workflows, logger, admin }: AdminContext, orgId: string): Promise<boolean> {
  try {
    await temporal.withDeadline(Date.now() + admin.temporalTimeoutMs, () => workflows.wake(orgId));
    return true;
  } catch (err) {
    logger.warn({ orgId, err: err instanceof Error ? err.message : String(err) }, "could not wake the organisation's workflow; the relay will retry");
    return false;
  }
}

/** Reconciliation sweeps, newest last; the admin status shows an organisation's latest. */
import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { reconciliationRuns } from '../schema/index.ts';
import type { DriftReport } from '../../lib/reconciliation-drift.ts';

export type ReconciliationRunRow = typeof reconciliationRuns.$inferSelect;

export interface NewReconciliationRun {
  orgId: string;
  trigger: string;
  startedAt: Date;
  xeroCalls: number;
  paymentsSeen: number;
  invoicesSeen: number;
  drift: DriftReport;
  note?: string | null;
}

export async function insertReconciliationRun(db: DbOrTx, run: NewReconciliationRun): Promise<ReconciliationRunRow> {
  const [row] = await db
    .insert(reconciliationRuns)
    .values({ ...run, note: run.note ?? null })
    .returning();
  return row!;
}

export async function latestReconciliationRun(db: DbOrTx, { orgId }: { orgId: string }): Promise<ReconciliationRunRow | undefined> {
  const [row] = await db
    .select()
    .from(reconciliationRuns)
    .where(eq(reconciliationRuns.orgId, orgId))
    .orderBy(desc(reconciliationRuns.finishedAt), desc(reconciliationRuns.id))
    .limit(1);
  return row;
}

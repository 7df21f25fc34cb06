import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { organisations } from '../schema/index.ts';

/** An organisation we have not heard of yet has the default plan (integrations included). */
export async function getIntegrationsPlan(db: DbOrTx, { orgId }: { orgId: string }): Promise<boolean> {
  const [row] = await db.select({ included: organisations.planIncludesIntegrations }).from(organisations).where(eq(organisations.id, orgId));
  return row?.included ?? true;
}

/** Returns the previous value, so the caller pauses or resumes only on a real change. */
export async function setIntegrationsPlan(db: DbOrTx, { orgId, included }: { orgId: string; included: boolean }): Promise<{ previous: boolean }> {
  return db.transaction(async (tx) => {
    await tx.insert(organisations).values({ id: orgId }).onConflictDoNothing({ target: organisations.id });
    const [before] = await tx
      .select({ included: organisations.planIncludesIntegrations })
      .from(organisations)
      .where(eq(organisations.id, orgId))
      .for('update');
    await tx
      .update(organisations)
      .set({ planIncludesIntegrations: included, updatedAt: sql`now()` })
      .where(eq(organisations.id, orgId));
    return { previous: before!.included };
  });
}

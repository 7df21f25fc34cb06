import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { xeroConnections } from '../schema/index.ts';

export type XeroConnectionRow = typeof xeroConnections.$inferSelect;

export async function getConnection(db: DbOrTx, { orgId }: { orgId: string }): Promise<XeroConnectionRow | undefined> {
  const [row] = await db.select().from(xeroConnections).where(eq(xeroConnections.orgId, orgId));
  return row;
}

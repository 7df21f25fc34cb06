import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { oauthStates } from '../schema/index.ts';

export async function createOAuthState(
  db: DbOrTx,
  args: { orgId: string; codeVerifierEnc: string; redirectUri: string; clientId: string; requestedBy?: string; expiresAt: Date },
): Promise<{ id: string }> {
  const [row] = await db.insert(oauthStates).values(args).returning({ id: oauthStates.id });
  return row!;
}

export type ConsumedState =
  | { outcome: 'ok'; codeVerifierEnc: string; redirectUri: string; clientId: string | null }
  | { outcome: 'expired' | 'used' | 'unknown' };

/**
 * Marks the consent used, atomically: of two callbacks racing with the same state, exactly one wins.
 * An expired state is consumed too (it must never work later), and reported as expired.
 */
export async function consumeOAuthState(db: DbOrTx, { orgId, stateId }: { orgId: string; stateId: string }): Promise<ConsumedState> {
  const [row] = await db
    .update(oauthStates)
    .set({ consumedAt: sql`now()` })
    .where(and(eq(oauthStates.id, stateId), eq(oauthStates.orgId, orgId), isNull(oauthStates.consumedAt)))
    .returning({
      codeVerifierEnc: oauthStates.codeVerifierEnc,
      redirectUri: oauthStates.redirectUri,
      clientId: oauthStates.clientId,
      expired: sql<boolean>`${oauthStates.expiresAt} <= now()`,
    });
  if (row) return row.expired ? { outcome: 'expired' } : { outcome: 'ok', codeVerifierEnc: row.codeVerifierEnc, redirectUri: row.redirectUri, clientId: row.clientId };
  const [seen] = await db
    .select({ id: oauthStates.id })
    .from(oauthStates)
    .where(and(eq(oauthStates.id, stateId), eq(oauthStates.orgId, orgId)));
  return { outcome: seen ? 'used' : 'unknown' };
}

/** Housekeeping: consents older than a day are of no use to anyone, not even for a "link already used" message. */
export async function deleteStaleOAuthStates(db: DbOrTx, { before }: { before: Date }): Promise<void> {
  await db.delete(oauthStates).where(lt(oauthStates.expiresAt, before));
}

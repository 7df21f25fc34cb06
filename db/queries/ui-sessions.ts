/**
 * Browser sign-in: single-use links and the sessions they open. Rows are found by the SHA-256 of the
 * random token the browser holds; the tokens themselves are never stored.
 */
import { and, eq, getTableColumns, gt, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { uiSessions, uiSignInLinks, type UiFlash, type UiRole } from '../schema/index.ts';

export type UiSessionRow = typeof uiSessions.$inferSelect;

export interface SignInLinkInput {
  tokenHash: string;
  orgId: string | null;
  role: UiRole;
  subject: string;
  name: string | null;
  returnTo: string;
  requestedBy: string | null;
  expiresAt: Date;
}

export async function createSignInLink(db: DbOrTx, link: SignInLinkInput): Promise<void> {
  await db.insert(uiSignInLinks).values(link);
}

export type ConsumedLink =
  | { outcome: 'ok'; link: typeof uiSignInLinks.$inferSelect }
  | { outcome: 'expired' | 'used' | 'unknown' };

/**
 * Marks the link used, atomically: of two tabs opening the same link, exactly one signs in. An expired
 * link is consumed too (it must never work later) and reported as expired.
 */
export async function consumeSignInLink(db: DbOrTx, { tokenHash }: { tokenHash: string }): Promise<ConsumedLink> {
  const [row] = await db
    .update(uiSignInLinks)
    .set({ usedAt: sql`now()` })
    .where(and(eq(uiSignInLinks.tokenHash, tokenHash), isNull(uiSignInLinks.usedAt)))
    .returning({ ...getTableColumns(uiSignInLinks), expired: sql<boolean>`${uiSignInLinks.expiresAt} <= now()` });
  if (row) {
    const { expired, ...link } = row;
    return expired ? { outcome: 'expired' } : { outcome: 'ok', link };
  }
  const [seen] = await db.select({ id: uiSignInLinks.id }).from(uiSignInLinks).where(eq(uiSignInLinks.tokenHash, tokenHash));
  return { outcome: seen ? 'used' : 'unknown' };
}

export async function createUiSession(
  db: DbOrTx,
  session: { tokenHash: string; csrfToken: string; orgId: string | null; role: UiRole; subject: string; name: string | null; expiresAt: Date },
): Promise<UiSessionRow> {
  const [row] = await db.insert(uiSessions).values(session).returning();
  return row!;
}

/** The live session for a cookie: not signed out, not expired. */
export async function findLiveUiSession(db: DbOrTx, { tokenHash }: { tokenHash: string }): Promise<UiSessionRow | undefined> {
  const [row] = await db
    .select()
    .from(uiSessions)
    .where(and(eq(uiSessions.tokenHash, tokenHash), isNull(uiSessions.signedOutAt), gt(uiSessions.expiresAt, sql`now()`)));
  return row;
}

export async function signOutUiSession(db: DbOrTx, { tokenHash }: { tokenHash: string }): Promise<void> {
  await db.update(uiSessions).set({ signedOutAt: sql`now()` }).where(and(eq(uiSessions.tokenHash, tokenHash), isNull(uiSessions.signedOutAt)));
}

export async function setUiSessionFlash(db: DbOrTx, { sessionId, flash }: { sessionId: string; flash: UiFlash }): Promise<void> {
  await db.update(uiSessions).set({ flash }).where(eq(uiSessions.id, sessionId));
}

/** The message a page shows once: read and cleared in one statement, so a reload does not show it again. */
export async function takeUiSessionFlash(db: DbOrTx, { sessionId }: { sessionId: string }): Promise<UiFlash | null> {
  const rows = await db.execute<{ flash: UiFlash | null }>(sql`
    with previous as (select id, flash from ui_sessions where id = ${sessionId} for update)
    update ui_sessions s set flash = null from previous p where s.id = p.id and p.flash is not null
    returning p.flash`);
  return rows[0]?.flash ?? null;
}

/** Housekeeping: links and sessions that ended before `before` are of no use to anyone. */
export async function deleteEndedUiRows(db: DbOrTx, { before }: { before: Date }): Promise<void> {
  await db.delete(uiSignInLinks).where(lt(uiSignInLinks.expiresAt, before));
  await db.delete(uiSessions).where(lt(uiSessions.expiresAt, before));
}

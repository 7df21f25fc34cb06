/**
 * Browser sessions for the settings page and the console. The main app owns its users: it asks for a
 * sign-in link for one person (`POST .../ui-sessions`), which is short-lived and single-use; opening it
 * creates a server-side session, whose random token only the browser's HttpOnly cookie holds.
 */
import type { Request } from 'express';
import type { Db } from '../../db/client.ts';
import {
  consumeSignInLink,
  createSignInLink,
  createUiSession,
  deleteEndedUiRows,
  findLiveUiSession,
  signOutUiSession,
  type SignInLinkInput,
  type UiSessionRow,
} from '../../db/queries/ui-sessions.ts';
import { readCookie, type SessionCookie } from './cookies.ts';
import { SIGN_IN_PATH } from './paths.ts';
import { hashToken, newToken } from './tokens.ts';

const DAY_MS = 24 * 60 * 60_000;

export interface UiSessionConfig {
  sessionTtlMs: number;
  linkTtlMs: number;
  cookie: SessionCookie;
  /** API_PUBLIC_URL: the origin in sign-in links (else the origin the main app called). */
  publicUrl?: string;
}

/** Who a sign-in link is for and where it leads; the token and its expiry are minted here. */
export type SignInRequest = Omit<SignInLinkInput, 'tokenHash' | 'expiresAt'>;

export type OpenedLink =
  | { outcome: 'ok'; token: string; session: UiSessionRow; returnTo: string }
  | { outcome: 'expired' | 'used' | 'unknown' };

/** What a request's cookie says: a live session, one that ended (expired or signed out), or none. */
export type CookieSession = { session: UiSessionRow } | { ended: true } | undefined;

export interface UiSessions {
  readonly config: UiSessionConfig;
  mintLink(request: SignInRequest, requestOrigin: string): Promise<{ url: string; expiresAt: string }>;
  openLink(token: string): Promise<OpenedLink>;
  fromRequest(req: Request): Promise<CookieSession>;
  signOut(req: Request): Promise<void>;
}

export function createUiSessions(db: Db, config: UiSessionConfig): UiSessions {
  return {
    config,
    async mintLink(request, requestOrigin) {
      const token = newToken();
      const expiresAt = new Date(Date.now() + config.linkTtlMs);
      await createSignInLink(db, { ...request, tokenHash: hashToken(token), expiresAt });
      await deleteEndedUiRows(db, { before: new Date(Date.now() - DAY_MS) });
      const url = new URL(SIGN_IN_PATH, config.publicUrl ?? requestOrigin);
      url.searchParams.set('token', token);
      return { url: url.toString(), expiresAt: expiresAt.toISOString() };
    },

    async openLink(token) {
      const consumed = await consumeSignInLink(db, { tokenHash: hashToken(token) });
      if (consumed.outcome !== 'ok') return consumed;
      const { link } = consumed;
      const sessionToken = newToken();
      const session = await createUiSession(db, {
        tokenHash: hashToken(sessionToken),
        csrfToken: newToken(),
        orgId: link.orgId,
        role: link.role,
        subject: link.subject,
        name: link.name,
        expiresAt: new Date(Date.now() + config.sessionTtlMs),
      });
      return { outcome: 'ok', token: sessionToken, session, returnTo: link.returnTo };
    },

    async fromRequest(req) {
      const token = readCookie(req, config.cookie.name);
      if (!token) return undefined;
      const session = await findLiveUiSession(db, { tokenHash: hashToken(token) });
      return session ? { session } : { ended: true };
    },

    async signOut(req) {
      const token = readCookie(req, config.cookie.name);
      if (token) await signOutUiSession(db, { tokenHash: hashToken(token) });
    },
  };
}

/**
 * The pages: sign-in by link, sign-out, the client admin's settings page and the platform admin's
 * console. Each page is a small HTML document whose script (web/) calls the JSON API with the session.
 */
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Db } from '../../db/client.ts';
import { takeUiSessionFlash, type UiSessionRow } from '../../db/queries/ui-sessions.ts';
import { constantTimeEqual } from '../../lib/hmac.ts';
import type { UiAssets } from './assets.ts';
import type { PageBoot, PageName } from './boot.ts';
import { clearSessionCookie, setSessionCookie } from './cookies.ts';
import { ASSETS_PATH, CONSOLE_PAGE, SETTINGS_PAGE, SIGN_IN_PATH, SIGN_OUT_PATH, SIGNED_OUT_PATH } from './paths.ts';
import { uiSecurityHeaders } from './security-headers.ts';
import type { UiSessions } from './sessions.ts';
import { renderDocument, renderMessage } from './shell.ts';

export interface UiPagesOptions {
  db: Db;
  sessions: UiSessions;
  assets: UiAssets;
  frameAncestors: string;
  temporal: { uiUrl: string | null; namespace: string };
}

const ASK_AGAIN = 'Open Settings > Integrations > Xero in the main app again: it signs you in with a fresh link.';

const LINK_REFUSED: Record<'expired' | 'used' | 'unknown', { status: number; title: string; message: string }> = {
  expired: { status: 410, title: 'This sign-in link has expired', message: `Sign-in links are valid for a few minutes. ${ASK_AGAIN}` },
  used: { status: 410, title: 'This sign-in link was already used', message: `Each sign-in link works once. ${ASK_AGAIN}` },
  unknown: { status: 400, title: 'This is not a sign-in link', message: `The link is incomplete or was altered. ${ASK_AGAIN}` },
};

export function uiPagesRouter({ db, sessions, assets, frameAncestors, temporal }: UiPagesOptions): Router {
  const pages = Router();
  const cookie = sessions.config.cookie;
  const secured = uiSecurityHeaders(frameAncestors);
  // Pages carry a CSRF token and an organisation's data: never cached.
  const noStore: RequestHandler = (_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  };
  const page = [secured, noStore];

  const message = (res: Response, status: number, text: { title: string; message: string }) => {
    res.status(status).type('html').send(renderMessage(assets, text));
  };

  pages.get(SIGN_IN_PATH, ...page, async (req, res) => {
    res.set('referrer-policy', 'no-referrer'); // the token must not leak to anything the page links to
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    if (!/^[\w-]{43}$/.test(token)) return message(res, 400, LINK_REFUSED.unknown);
    const opened = await sessions.openLink(token);
    if (opened.outcome !== 'ok') return message(res, LINK_REFUSED[opened.outcome].status, LINK_REFUSED[opened.outcome]);
    await sessions.signOut(req); // whoever was signed in here before
    setSessionCookie(res, cookie, opened.token, opened.session.expiresAt);
    res.redirect(303, opened.returnTo);
  });

  pages.post(SIGN_OUT_PATH, ...page, express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const found = await sessions.fromRequest(req);
    if (found && 'session' in found) {
      const sent = typeof req.body?._csrf === 'string' ? req.body._csrf : '';
      if (!constantTimeEqual(Buffer.from(found.session.csrfToken), Buffer.from(sent))) {
        return message(res, 403, { title: 'Not signed out', message: 'The page was out of date: reload it and press Sign out again.' });
      }
      await sessions.signOut(req);
    }
    clearSessionCookie(res, cookie);
    res.redirect(303, SIGNED_OUT_PATH);
  });

  pages.get(SIGNED_OUT_PATH, ...page, (_req, res) => {
    message(res, 200, { title: 'Signed out', message: 'You are signed out of the Xero integration pages. To come back, open Settings > Integrations > Xero in the main app.' });
  });

  /** The session for a page of `role`, or the message page that says why not (answered here). */
  const signedIn = async (req: Request, res: Response, role: UiSessionRow['role']): Promise<UiSessionRow | undefined> => {
    const found = await sessions.fromRequest(req);
    if (!found || !('session' in found)) {
      message(res, 401, { title: found ? 'Your session has ended' : 'Please sign in', message: ASK_AGAIN });
      return undefined;
    }
    if (found.session.role !== role) {
      message(res, 403, {
        title: 'This page is not for your role',
        message: role === 'platform_admin' ? 'The console is for platform admins. Your organisation\u2019s settings are at Settings > Integrations > Xero.' : 'This page is for an organisation\u2019s admin. Platform admins use the console at /admin/integrations/xero.',
      });
      return undefined;
    }
    return found.session;
  };

  const render = async (res: Response, session: UiSessionRow, name: PageName, title: string, orgId: string | null) => {
    const boot: PageBoot = {
      page: name,
      orgId,
      csrfToken: session.csrfToken,
      person: { subject: session.subject, name: session.name, role: session.role },
      sessionExpiresAt: session.expiresAt.toISOString(),
      flash: await takeUiSessionFlash(db, { sessionId: session.id }),
      temporal,
    };
    res.type('html').send(renderDocument({ title, assets, boot, main: '<p class="loading">Loading\u2026</p><noscript>This page needs JavaScript.</noscript>' }));
  };

  pages.get(SETTINGS_PAGE, ...page, async (req, res) => {
    const session = await signedIn(req, res, 'client_admin');
    if (session) await render(res, session, 'settings', 'Xero integration settings', session.orgId);
  });

  pages.get([CONSOLE_PAGE, `${CONSOLE_PAGE}/:orgId`], ...page, async (req, res) => {
    const session = await signedIn(req, res, 'platform_admin');
    const orgId = typeof req.params.orgId === 'string' ? req.params.orgId : null;
    if (session) await render(res, session, 'console', orgId ? `Xero sync: ${orgId}` : 'Xero sync console', orgId);
  });

  pages.get(`${ASSETS_PATH}/:file`, secured, assets.serve);
  return pages;
}

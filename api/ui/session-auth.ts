/**
 * The pages call the same JSON API as the main app, authenticated by the session cookie instead of a
 * bearer token, with the same roles and the same `requireOrgAccess`. A request that changes anything
 * must also carry the session's CSRF token in `X-CSRF-Token`: a cross-site form cannot set a header, and
 * SameSite=Lax already keeps the cookie off cross-site fetches.
 */
import type { Request } from 'express';
import { constantTimeEqual } from '../../lib/hmac.ts';
import type { Principal } from '../auth.ts';
import { HttpError } from '../errors.ts';
import { CSRF_HEADER } from './boot.ts';
import type { UiSessions } from './sessions.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionPrincipal(sessions: UiSessions) {
  return async (req: Request): Promise<Principal | undefined> => {
    const found = await sessions.fromRequest(req);
    if (!found) return undefined;
    if (!('session' in found)) {
      throw new HttpError(401, 'session_expired', 'Your session has ended: open this page again from the main app to sign in.');
    }
    const { session } = found;
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.get(CSRF_HEADER) ?? '';
      if (!constantTimeEqual(Buffer.from(session.csrfToken), Buffer.from(sent))) {
        throw new HttpError(403, 'csrf_failed', "The page's security token is missing or out of date: reload the page and try again.");
      }
    }
    return { subject: session.subject, role: session.role, orgId: session.orgId ?? undefined, via: 'session', name: session.name ?? undefined };
  };
}

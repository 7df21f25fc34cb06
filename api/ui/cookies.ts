/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Lax (a cross-site form or fetch does not
 * carry it, a top-level link does), Secure and `__Host-` prefixed when the pages are served over https
 * (API_PUBLIC_URL), so no plain-http page or sibling domain can set or read it.
 */
import type { Request, Response } from 'express';

export interface SessionCookie {
  name: string;
  secure: boolean;
}

export function sessionCookie(secure: boolean): SessionCookie {
  return { name: secure ? '__Host-xero-sync-session' : 'xero-sync-session', secure };
}

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function setSessionCookie(res: Response, cookie: SessionCookie, token: string, expiresAt: Date): void {
  res.cookie(cookie.name, token, { httpOnly: true, sameSite: 'lax', secure: cookie.secure, path: '/', expires: expiresAt });
}

export function clearSessionCookie(res: Response, cookie: SessionCookie): void {
  res.clearCookie(cookie.name, { httpOnly: true, sameSite: 'lax', secure: cookie.secure, path: '/' });
}

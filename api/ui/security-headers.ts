/**
 * Headers for every page and asset: a strict Content-Security-Policy (everything comes from xero-sync
 * itself: no CDN, no inline script or style), framing only by UI_FRAME_ANCESTORS, no MIME sniffing, and
 * pages never cached (they carry a CSRF token and an organisation's data).
 */
import type { RequestHandler } from 'express';

export function contentSecurityPolicy(frameAncestors: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

export function uiSecurityHeaders(frameAncestors: string): RequestHandler {
  const csp = contentSecurityPolicy(frameAncestors);
  // For browsers that predate frame-ancestors; with a list of origins, CSP alone decides.
  const frameOptions = frameAncestors === "'none'" ? 'DENY' : frameAncestors === "'self'" ? 'SAMEORIGIN' : undefined;
  return (_req, res, next) => {
    res.set({ 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' });
    if (frameOptions) res.set('x-frame-options', frameOptions);
    next();
  };
}

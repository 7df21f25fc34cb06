/**
 * Bearer JWTs, verified with `jose`: HS256 with API_JWT_SECRET, or keys from a JWKS URL.
 *
 * Roles: `platform_admin` (every organisation), `client_admin` and `service` (the main app), both bound
 * to one `org_id`. Another organisation's resources answer 404, not 403, so ids do not leak.
 */
import type { Request, RequestHandler } from 'express';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { HttpError } from './errors.ts';

export const roles = ['platform_admin', 'client_admin', 'service'] as const;
export type Role = (typeof roles)[number];

export interface Principal {
  subject: string;
  role: Role;
  orgId?: string;
  /** A bearer token (the main app, scripts) or a browser session of the settings page or console. */
  via?: 'bearer' | 'session';
  /** A person's name, for sessions. */
  name?: string;
}

/** A browser session's principal, when the request carries its cookie (and no bearer token). */
export type SessionAuthenticator = (req: Request) => Promise<Principal | undefined>;

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

const claimsSchema = z.object({
  sub: z.string().min(1).optional(),
  role: z.enum(roles),
  org_id: z.string().min(1).optional(),
});

export interface AuthConfig {
  jwtSecret?: string;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  const key: Uint8Array | JWTVerifyGetKey = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl))
    : new TextEncoder().encode(config.jwtSecret ?? '');
  const algorithms = config.jwksUrl ? undefined : ['HS256'];
  return async (token) => {
    const { payload } = await jwtVerify(token, key as Uint8Array, { algorithms, issuer: config.issuer, audience: config.audience });
    const claims = claimsSchema.parse(payload);
    if (claims.role !== 'platform_admin' && !claims.org_id) throw new Error(`role ${claims.role} needs an org_id claim`);
    return { subject: claims.sub ?? 'unknown', role: claims.role, orgId: claims.org_id, via: 'bearer' };
  };
}

/** Rejects requests without a valid bearer token or browser session (401). */
export function authenticate(verify: TokenVerifier, fromSession?: SessionAuthenticator): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const session = !header && fromSession ? await fromSession(req) : undefined;
    if (session) {
      req.principal = session;
      return next();
    }
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match?.[1]) throw new HttpError(401, 'unauthenticated', 'Send a bearer token: Authorization: Bearer <JWT>.');
    try {
      req.principal = await verify(match[1]);
    } catch {
      throw new HttpError(401, 'invalid_token', 'The bearer token is invalid or expired.');
    }
    next();
  };
}

/** Allows only the given roles (403 otherwise). */
export function requireRole(...allowed: Role[]): RequestHandler {
  return (req, _res, next) => {
    const role = req.principal?.role;
    if (!role || !allowed.includes(role)) {
      throw new HttpError(403, 'forbidden', `This route needs one of the roles: ${allowed.join(', ')}.`);
    }
    next();
  };
}

/**
 * The `:orgId` route parameter must be the caller's own organisation (platform admins reach every one), and
 * the caller's role one of `allowed`. The organisation is checked first: a caller from another organisation
 * learns nothing (404, as for an organisation that does not exist), whatever its role; a caller of this
 * organisation with the wrong role is told so (403).
 */
export function requireOrgAccess(...allowed: Role[]): RequestHandler {
  return (req, _res, next) => {
    const principal = req.principal;
    if (principal?.role === 'platform_admin') return next();
    if (!principal || principal.orgId !== req.params.orgId) throw new HttpError(404, 'not_found', 'organisation not found');
    if (!allowed.includes(principal.role)) {
      throw new HttpError(403, 'forbidden', `This route needs one of the roles: platform_admin, ${allowed.join(', ')}.`);
    }
    next();
  };
}

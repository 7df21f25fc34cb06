/** Mints API tokens for local use (`npm run token -- client_admin my-org`). Never for production secrets. */
import { SignJWT } from 'jose';
import type { Role } from '../api/auth.ts';

export function mintToken(secret: string, claims: { role: Role; orgId?: string; sub?: string }, expiresIn = '12h'): Promise<string> {
  return new SignJWT({ role: claims.role, ...(claims.orgId ? { org_id: claims.orgId } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub ?? `dev-${claims.role}`)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

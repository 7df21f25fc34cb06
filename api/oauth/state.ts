/**
 * The OAuth `state`: a short-lived JWT (HS256, via jose) that names the organisation and the stored
 * consent row (`oauth_states`). The signature stops a forged or edited state; the expiry bounds how long
 * a consent link lives; the row makes it single-use and holds the PKCE verifier.
 *
 * The signing key is derived from ENCRYPTION_KEY (HKDF, its own `info`), so no new secret is needed and
 * rotating that key rotates this one; the key id travels in the JWT header.
 */
import { hkdfSync } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { EncryptionKey } from '../../lib/secret-box.ts';

const ISSUER = 'xero-sync';
const AUDIENCE = 'xero-oauth-callback';

export type StateProblem = 'invalid' | 'expired';

export class OAuthStateError extends Error {
  override name = 'OAuthStateError';
  constructor(readonly problem: StateProblem) {
    super(problem === 'expired' ? 'the consent link expired' : 'the consent state is not one we issued');
  }
}

export interface OAuthStateClaims {
  orgId: string;
  stateId: string;
}

export interface OAuthStateSigner {
  sign(claims: OAuthStateClaims, expiresAt: Date): Promise<string>;
  /** Throws OAuthStateError('invalid' | 'expired'). */
  verify(state: string): Promise<OAuthStateClaims>;
}

const payloadSchema = z.object({ org: z.string().min(1), jti: z.uuid() });

export function createOAuthStateSigner(keys: EncryptionKey[]): OAuthStateSigner {
  const derived = new Map(keys.map((k) => [k.id, new Uint8Array(hkdfSync('sha256', k.key, Buffer.alloc(0), 'xero-sync oauth state v1', 32))]));
  const [active] = keys;
  if (!active) throw new Error('at least one encryption key is required');

  return {
    sign: ({ orgId, stateId }, expiresAt) =>
      new SignJWT({ org: orgId })
        .setProtectedHeader({ alg: 'HS256', kid: active.id })
        .setJti(stateId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(derived.get(active.id)!),

    async verify(state) {
      try {
        const { payload } = await jwtVerify(
          state,
          (header) => {
            const key = header.kid ? derived.get(header.kid) : undefined;
            if (!key) throw new OAuthStateError('invalid');
            return key;
          },
          { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE },
        );
        const claims = payloadSchema.safeParse(payload);
        if (!claims.success) throw new OAuthStateError('invalid');
        return { orgId: claims.data.org, stateId: claims.data.jti };
      } catch (err) {
        if (err instanceof OAuthStateError) throw err;
        throw new OAuthStateError(err instanceof joseErrors.JWTExpired ? 'expired' : 'invalid');
      }
    },
  };
}

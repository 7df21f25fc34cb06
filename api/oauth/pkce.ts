/**
 * PKCE (RFC 7636) for the Xero consent: the browser only ever carries the S256 challenge; the verifier
 * stays in our database until the code is exchanged, so a stolen code is useless on its own.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function createPkce(): Pkce {
  // 32 random bytes → 43 base64url characters, the RFC's minimum length and plenty of entropy.
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * Random tokens for sign-in links and session cookies. 32 random bytes are far beyond guessing, so a
 * plain SHA-256 is enough to store them: a database reader learns nothing it could sign in with.
 */
import { createHash, randomBytes } from 'node:crypto';

export const newToken = (): string => randomBytes(32).toString('base64url');

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

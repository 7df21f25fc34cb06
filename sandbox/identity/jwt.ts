/**
 * JWT-shaped tokens. Xero's access and id tokens are JWTs that clients sometimes decode (to read
 * `authentication_event_id` or the user); the sandbox issues the same claims, HMAC-signed. Validity is
 * always decided by the server-side lookup, never by the signature alone.
 */
import { createHmac } from 'node:crypto';

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

export function signJwt(payload: Record<string, unknown>, secret: string): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', kid: 'xero-sandbox', typ: 'JWT' }));
  const body = b64url(JSON.stringify(payload));
  const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${signature}`;
}

export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * Xero signs every webhook delivery: `x-xero-signature` = base64(HMAC-SHA256(raw body bytes, webhook key)).
 * A request whose signature does not match must get 401 (Xero's intent-to-receive check sends some
 * deliberately bad ones and expects exactly that).
 */
import { constantTimeEqual, hmacSha256 } from '../../lib/hmac.ts';

export function isValidXeroSignature(rawBody: Buffer, signatureHeader: string | undefined, webhookKey: string): boolean {
  if (!signatureHeader) return false;
  const expected = Buffer.from(hmacSha256(webhookKey, rawBody).toString('base64'), 'latin1');
  return constantTimeEqual(expected, Buffer.from(signatureHeader, 'latin1'));
}

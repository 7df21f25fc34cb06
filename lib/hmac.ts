/**
 * HMAC-SHA256 and a constant-time comparison that is safe for inputs of different lengths.
 * Signatures are always checked over the raw bytes received, never over a re-serialised body.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmacSha256(key: string | Buffer, data: string | Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/**
 * True when `received` equals `expected`, compared in constant time. `timingSafeEqual` throws on a length
 * mismatch, so a wrong-length input is compared against itself (same work) and then refused: the only thing
 * a caller learns is the length, which is public (a SHA-256 digest's encoding).
 */
export function constantTimeEqual(expected: Buffer, received: Buffer): boolean {
  if (expected.length !== received.length) {
    timingSafeEqual(received, received);
    return false;
  }
  return timingSafeEqual(expected, received);
}

import { createHash } from 'node:crypto';

/**
 * The `Idempotency-Key` of one batch: the batch's name and the exact body sent. A Temporal retry that
 * sends the same body replays (Xero answers from its cache for about 6 minutes instead of creating
 * again); a retry whose body changed, because it adopted records Xero already had, is a new request,
 * as it must be: Xero refuses a key reused with a different body. At most 128 characters.
 */
export function batchIdempotencyKey(orgId: string, claimId: string, body: unknown): string {
  return `xs-${createHash('sha256').update(orgId).update('\0').update(claimId).update('\0').update(JSON.stringify(body)).digest('base64url')}`;
}

import { createHash } from 'node:crypto';

/**
 * The `Idempotency-Key` of one batch: derived from the batch's name and the exact record versions it
 * carries, so a Temporal retry of the same batch replays (Xero answers from its cache, ~6 minutes),
 * while a batch whose content changed is a new request. At most 128 characters (Xero's limit).
 */
export function batchIdempotencyKey(orgId: string, claimId: string, records: Array<{ recordId: string; version: number }>): string {
  const hash = createHash('sha256').update(orgId).update('\0').update(claimId);
  for (const r of [...records].sort((a, b) => a.recordId.localeCompare(b.recordId))) hash.update(`\0${r.recordId}@${r.version}`);
  return `xs-${hash.digest('base64url')}`;
}

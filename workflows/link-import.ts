/**
 * `xero-link-import:{orgId}:{importId}`: verifies an import of existing links (platform record id → Xero
 * id) against Xero, then applies it all or nothing.
 *
 * Verifying 10,000 links is up to 200 reads of 50 ids, minutes at Xero's 60 calls a minute: too long for
 * an HTTP request, so the API answers 202 and this workflow does it, durably. Its reads spend the same
 * organisation budget as the organisation's own workflow (`xero-org:{orgId}`), so it paces itself on
 * Xero's remaining-call headers more modestly than that workflow does: one call at a time (the slot the
 * organisation's pacer leaves for admin calls), and never into the second half of a minute's budget nor the
 * last fifth of a day's. The organisation's pushes keep at least half of every minute.
 *
 * Orchestration only: no I/O here, and activity TYPES only.
 */
import { patched, proxyActivities } from '@temporalio/workflow';
import type { DbSteps } from '../activities/index.ts';
import { readPacingConfig, xeroCalls } from './org/activities.ts';
import { expectActivityFailure, messageOf } from './org/failures.ts';
import { XeroPacer } from './pacing/pacer.ts';
import { PATCHES } from './patches.ts';

/** Contacts first, then invoices (the same kinds as db/schema/xero-links.ts `linkableRecordTypes`). */
const KINDS = ['contact', 'invoice'] as const;

/** Versioned input: fields are only ever added, optional. */
export interface LinkImportInput {
  orgId: string;
  importId: string;
}

export async function xeroLinkImportWorkflow({ orgId, importId }: LinkImportInput): Promise<string> {
  const db = proxyActivities<DbSteps>({
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  const config = await readPacingConfig();
  const xero = xeroCalls(config, patched(PATCHES.xeroFairShare) ? { orgId } : undefined);
  const pacer = new XeroPacer({
    ...config,
    concurrency: 1,
    minuteReserve: Math.max(config.minuteReserve, Math.floor(config.perMinute / 2)),
    dayReserve: Math.max(config.dayReserve, Math.floor(config.perDay / 5)),
  });

  const pages = await db.linkImportPlan({ orgId, importId });
  try {
    for (const recordType of KINDS) {
      for (let page = 0; page < pages[recordType]; page++) {
        await pacer.run(() => xero.verifyLinkImportPage({ orgId, importId, recordType, page }));
      }
    }
  } catch (err) {
    await db.failLinkImport({ orgId, importId, message: messageOf(expectActivityFailure(err)) });
    return 'failed';
  }
  return (await db.applyLinkImport({ orgId, importId })).status;
}

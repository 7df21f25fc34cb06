/**
 * Finishing a link import, all or nothing, in ONE transaction: the rows are checked again against the
 * database as it is now (a record may have been pushed or linked meanwhile), and either every link is
 * applied or none is and the import is rejected with each row's problem.
 */
import { Context } from '@temporalio/activity';
import {
  abandonLinkImport,
  applyLinks,
  finishLinkImport,
  getLinkImportProblems,
  getLinkImportRows,
  linkImportPages,
  linkProblems,
  lockVerifyingImport,
  recordRowProblems,
  releaseImportHold,
} from '../../db/queries/xero-links.ts';
import { lockOrganisationLink } from '../../db/queries/connections.ts';
import { createOrgWorkflows } from '../../workflows/client/org-workflows.ts';
import { XERO_IDS_PER_CALL } from '../../workflows/constants.ts';
import type { ActivityDeps } from '../deps.ts';

export interface LinkImportRef {
  orgId: string;
  importId: string;
}

export interface LinkImportOutcome {
  status: 'applied' | 'rejected' | 'finished_before';
  linkedRecords?: number;
  pendingRecords?: number;
  problems?: number;
}

/** Pages of Xero ids to verify, per kind. */
export function linkImportPlan(deps: ActivityDeps) {
  return ({ orgId, importId }: LinkImportRef) => linkImportPages(deps.db, { orgId, importId, pageSize: XERO_IDS_PER_CALL });
}

export function applyLinkImport(deps: ActivityDeps) {
  return async ({ orgId, importId }: LinkImportRef): Promise<LinkImportOutcome> => {
    const outcome = await deps.db.transaction(async (tx): Promise<LinkImportOutcome> => {
      // Two imports of one organisation finish one after the other: each checks what the other applied.
      await lockOrganisationLink(tx, { orgId });
      if (!(await lockVerifyingImport(tx, { orgId, importId }))) return { status: 'finished_before' };
      const rows = await getLinkImportRows(tx, { orgId, importId });
      await recordRowProblems(tx, { orgId, importId, problems: await linkProblems(tx, { orgId, rows, importId }) });
      const problems = await getLinkImportProblems(tx, { orgId, importId });
      if (problems.length > 0) {
        await releaseImportHold(tx, { orgId, importId });
        await finishLinkImport(tx, { orgId, importId, status: 'rejected', message: `${problems.length} of ${rows.length} link(s) cannot be applied: nothing was applied.` });
        return { status: 'rejected', problems: problems.length };
      }
      const counts = await applyLinks(tx, { orgId, importId });
      await finishLinkImport(tx, { orgId, importId, status: 'applied', ...counts });
      return { status: 'applied', ...counts };
    });
    if (outcome.status === 'applied' && (outcome.linkedRecords ?? 0) > 0) {
      // The linked records are pending again: their updates go out now (the relay would wake it later anyway).
      const { client, info } = Context.current();
      await createOrgWorkflows(client, info.taskQueue)
        .wake(orgId)
        .catch((err: unknown) => deps.logger.warn({ orgId, err: err instanceof Error ? err.message : String(err) }, 'could not wake the organisation after a link import'));
    }
    return outcome;
  };
}

/** Xero could not be asked (connection lost...): nothing applied, the held records go back to the queue. */
export function failLinkImport(deps: ActivityDeps) {
  return async ({ orgId, importId, message }: LinkImportRef & { message: string }): Promise<void> => {
    await deps.db.transaction((tx) => abandonLinkImport(tx, { orgId, importId, message }));
  };
}

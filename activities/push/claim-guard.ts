import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from '../deps.ts';
import { releaseClaim } from '../../db/queries/push-claims.ts';
import { FailureType } from '../../workflows/constants.ts';

/**
 * When the connection becomes unusable mid-batch, the batch is given back at once: after the admin
 * reconnects, its records are pushed straight away instead of waiting for the claim to expire.
 */
export function releasingClaimOnConnectionLoss(deps: ActivityDeps) {
  return <I extends { orgId: string; claimId: string }, O>(push: (input: I) => Promise<O>) =>
    async (input: I): Promise<O> => {
      try {
        return await push(input);
      } catch (err) {
        if (err instanceof ApplicationFailure && err.type === FailureType.connectionUnavailable) await releaseClaim(deps.db, input);
        throw err;
      }
    };
}

/**
 * `POST /api/orgs/{orgId}/integrations/xero/connect`
 * - `{}` or `{"type":"oauth"}`: answers the consent URL to send the admin's browser to (the callback finishes).
 * - `{"type":"custom"}`: links the custom connection now and answers the integration card.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { validationError } from '../../../errors.ts';
import { loadCard } from './card.ts';
import type { IntegrationContext } from './context.ts';
import { startConsent } from './consent.ts';
import { connectCustom } from './custom-connection.ts';
import { orgIdOf } from '../../params.ts';
import { throwAsXeroProblem } from './xero-problem.ts';

export const connectBody = z.strictObject({
  type: z.enum(['oauth', 'custom']).default('oauth'),
});

export function postConnect(ctx: IntegrationContext): RequestHandler {
  return async (req, res) => {
    const orgId = orgIdOf(req);
    const body = connectBody.safeParse(req.body ?? {});
    if (!body.success) throw validationError(body.error);

    if (body.data.type === 'oauth') {
      res.json(await startConsent(ctx, { orgId, requestedBy: req.principal!.subject }));
      return;
    }
    try {
      await connectCustom(ctx, { orgId });
    } catch (err) {
      throwAsXeroProblem(err);
    }
    await ctx.lifecycle.resume(orgId);
    res.json(await loadCard(ctx.db, orgId));
  };
}

/**
 * Sign-in links, asked for by the main app for one person:
 * - `POST /api/orgs/{orgId}/ui-sessions` `{ role: "client_admin", subject, name? }` with that organisation's
 *   `service` token (or a platform admin's): the settings page of that organisation;
 * - `POST /api/admin/ui-sessions` `{ role: "platform_admin", subject, name?, returnTo? }` with a platform
 *   admin's token: the console.
 * Both answer 201 `{ url, expiresAt }`. Only a bearer token may ask: a browser session cannot mint more.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { ensureOrganisation } from '../../db/queries/organisations.ts';
import { requireOrgAccess, requireRole } from '../auth.ts';
import { HttpError, validationError } from '../errors.ts';
import { orgIdOf } from '../routes/params.ts';
import { CONSOLE_PAGE, SETTINGS_PAGE } from './paths.ts';
import type { UiSessions } from './sessions.ts';

const person = {
  subject: z.string().trim().min(1, 'required: the main app\u2019s id for this person').max(200),
  name: z.string().trim().min(1).max(200).optional(),
};

export const clientAdminSignInBody = z.strictObject({
  role: z.literal('client_admin', { message: 'expected "client_admin" (links for platform admins come from POST /api/admin/ui-sessions)' }),
  ...person,
  returnTo: z.literal(SETTINGS_PAGE, { message: `expected ${SETTINGS_PAGE}` }).optional(),
});

export const platformAdminSignInBody = z.strictObject({
  role: z.literal('platform_admin', { message: 'expected "platform_admin" (links for client admins come from POST /api/orgs/{orgId}/ui-sessions)' }),
  ...person,
  returnTo: z
    .string()
    .regex(/^\/admin\/integrations\/xero(\/[A-Za-z0-9._:-]{1,100})?$/, `expected ${CONSOLE_PAGE} or ${CONSOLE_PAGE}/{orgId}`)
    .optional(),
});

export interface SignInLinkAnswer {
  url: string;
  expiresAt: string;
}

const requireBearer: RequestHandler = (req, _res, next) => {
  if (req.principal?.via !== 'bearer') {
    throw new HttpError(403, 'forbidden', 'Sign-in links are asked for by the main app with its bearer token, not from a browser session.');
  }
  next();
};

const originOf = (req: Parameters<RequestHandler>[0]) => `${req.protocol}://${req.get('host')}`;

/** Mounted after `/api` authentication. */
export function signInLinkRouter({ db, sessions }: { db: Db; sessions: UiSessions }): Router {
  const router = Router();

  router.post('/api/orgs/:orgId/ui-sessions', requireOrgAccess('service'), requireBearer, async (req, res) => {
    const orgId = orgIdOf(req);
    const body = clientAdminSignInBody.safeParse(req.body ?? {});
    if (!body.success) throw validationError(body.error);
    await ensureOrganisation(db, { orgId });
    const { subject, name, returnTo } = body.data;
    const answer: SignInLinkAnswer = await sessions.mintLink(
      { orgId, role: 'client_admin', subject, name: name ?? null, returnTo: returnTo ?? SETTINGS_PAGE, requestedBy: req.principal!.subject },
      originOf(req),
    );
    res.status(201).json(answer);
  });

  router.post('/api/admin/ui-sessions', requireRole('platform_admin'), requireBearer, async (req, res) => {
    const body = platformAdminSignInBody.safeParse(req.body ?? {});
    if (!body.success) throw validationError(body.error);
    const { subject, name, returnTo } = body.data;
    const answer: SignInLinkAnswer = await sessions.mintLink(
      { orgId: null, role: 'platform_admin', subject, name: name ?? null, returnTo: returnTo ?? CONSOLE_PAGE, requestedBy: req.principal!.subject },
      originOf(req),
    );
    res.status(201).json(answer);
  });

  return router;
}

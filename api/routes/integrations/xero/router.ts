/**
 * The Xero integration: `/api/orgs/{orgId}/integrations/xero/...` (bearer-authenticated, plan-gated) and
 * the OAuth callback (a browser redirect, authorised by its signed state), one handler per file.
 */
import { Router } from 'express';
import type { Logger } from '../../../../config/logger.ts';
import type { Db } from '../../../../db/client.ts';
import { xeroOAuthCallback } from './callback.ts';
import type { ConsentReturn } from './callback-page.ts';
import { getCard } from './card.ts';
import { getChoices } from './choices.ts';
import { getSetup } from './setup.ts';
import { postConnect } from './connect.ts';
import type { IntegrationContext } from './context.ts';
import type { XeroIntegrationDeps } from './deps.ts';
import { postDisconnect } from './disconnect.ts';
import { readAccess, requireIntegrationsPlan, writeAccess } from './guards.ts';
import { getMappings, putMappings } from './mappings.ts';
import { getSettings, putSettings } from './settings.ts';
import type { SyncLifecycle } from '../../../sync-lifecycle.ts';
import { getTenants, postTenant } from './tenants.ts';
import { postTestConnection } from './test-connection.ts';

interface RouterDeps {
  db: Db;
  logger: Logger;
  lifecycle: SyncLifecycle;
  xero: XeroIntegrationDeps;
  returnToPage?: ConsentReturn;
}

function context({ db, logger, lifecycle, xero, returnToPage }: RouterDeps): IntegrationContext {
  return { db, logger, xero, lifecycle, returnToPage };
}

/** Mounted after `/api` authentication. */
export function xeroIntegrationRouter(deps: RouterDeps): Router {
  const ctx = context(deps);
  const router = Router({ mergeParams: true });
  const base = '/api/orgs/:orgId/integrations/xero';
  // Access first (another organisation's caller gets 404 whatever its plan), then the plan.
  const read = [readAccess, requireIntegrationsPlan(ctx.db)];
  const write = [writeAccess, requireIntegrationsPlan(ctx.db)];

  router.get(base, ...read, getCard(ctx));
  router.post(`${base}/connect`, ...write, postConnect(ctx));
  router.get(`${base}/tenants`, ...read, getTenants(ctx));
  router.post(`${base}/tenant`, ...write, postTenant(ctx));
  router.get(`${base}/settings`, ...read, getSettings(ctx));
  router.put(`${base}/settings`, ...write, putSettings(ctx));
  router.get(`${base}/mappings`, ...read, getMappings(ctx));
  router.put(`${base}/mappings`, ...write, putMappings(ctx));
  router.post(`${base}/test`, ...read, postTestConnection(ctx));
  router.post(`${base}/disconnect`, ...write, postDisconnect(ctx));
  router.get(`${base}/choices`, ...read, getChoices(ctx));
  router.get(`${base}/setup`, ...read, getSetup(ctx));
  return router;
}

/** Mounted before `/api` authentication: Xero sends the admin's browser here. */
export function xeroOAuthCallbackRouter(deps: RouterDeps): Router {
  const router = Router();
  router.get(deps.xero.callbackPath, xeroOAuthCallback(context(deps)));
  return router;
}

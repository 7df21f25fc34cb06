/**
 * Wires the API's dependencies from configuration: the same wiring for `npm run dev`, `npm run api` and the
 * test suite's stack.
 */
import { Client, Connection } from '@temporalio/client';
import type { Env } from '../config/env.ts';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../db/client.ts';
import { settingsDefaultsFromEnv } from '../config/settings-defaults.ts';
import { createOrgWorkflows } from '../workflows/client/org-workflows.ts';
import { createReconcileSchedules } from '../workflows/client/reconcile-schedules.ts';
import { createRevenueSchedules } from '../workflows/client/revenue-schedules.ts';
import { getXeroOrganisationProfile } from '../db/queries/xero-organisation-profiles.ts';
import { createLinkImportWorkflows } from '../workflows/client/link-imports.ts';
import { xeroServicesFromEnv } from '../xero/from-env.ts';
import { createApp } from './app.ts';
import { createTokenVerifier } from './auth.ts';
import { createSyncLifecycle } from './sync-lifecycle.ts';
import { xeroIntegrationFromEnv } from './routes/integrations/xero/deps.ts';
import { xeroAdminFromEnv } from './routes/admin/deps.ts';
import { metricsCredentials } from '../metrics/access.ts';
import { createApiMetrics } from '../metrics/api-metrics.ts';
import { uiFromEnv } from './ui/deps.ts';
import { createEnvConnectionLinker } from './env-connection-linker.ts';

export async function buildApi({ env, db, logger }: { env: Env; db: Db; logger: Logger }) {
  // Lazy: the API starts (and /healthz answers) even while Temporal is still coming up.
  const connection = Connection.lazy({ address: env.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
  const workflows = createOrgWorkflows(temporal, env.TEMPORAL_TASK_QUEUE);
  const schedules = createReconcileSchedules(temporal, { taskQueue: env.TEMPORAL_TASK_QUEUE, intervalMs: env.RECONCILE_INTERVAL, logger });
  const revenueSchedules = createRevenueSchedules(temporal, {
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    logger,
    zoneOf: async (orgId) => (await getXeroOrganisationProfile(db, { orgId }))?.timeZone,
  });
  const lifecycle = createSyncLifecycle({ db, workflows, schedules, revenueSchedules, logger });
  // This process's registry: what `GET /metrics` on the API answers.
  const metrics = createApiMetrics({ credentials: metricsCredentials(env) });
  // The API refreshes tokens too (test connection, settings checks): when it meets a dead grant, the
  // organisation's work stops at once instead of at the workflow's next Xero call.
  const xero = xeroServicesFromEnv({ env, db, logger, onNeedsReauth: (orgId) => lifecycle.pause(orgId, 'needs_reauth'), onXeroCall: metrics.xeroCalls });
  const xeroIntegration = xeroIntegrationFromEnv({ env, xero });
  const app = createApp({
    db,
    temporal,
    workflows,
    lifecycle,
    verifyToken: createTokenVerifier({
      jwtSecret: env.API_JWT_SECRET,
      jwksUrl: env.API_JWKS_URL,
      issuer: env.API_JWT_ISSUER,
      audience: env.API_JWT_AUDIENCE,
    }),
    logger,
    bodyLimit: env.API_BODY_LIMIT,
    settingsDefaults: settingsDefaultsFromEnv(env),
    xeroWebhooks: { key: env.XERO_WEBHOOK_KEY, path: env.WEBHOOK_PATH, bodyLimit: env.WEBHOOK_BODY_LIMIT },
    xeroIntegration,
    xeroAdmin: xeroAdminFromEnv(env),
    metrics,
    publicUrl: env.API_PUBLIC_URL,
    ui: await uiFromEnv(env),
    linkImports: createLinkImportWorkflows(temporal, env.TEMPORAL_TASK_QUEUE),
  });
  // Started by the API server (not by tests that build the app in-process unless they ask).
  const envConnection = createEnvConnectionLinker({ db, logger, xero: xeroIntegration, lifecycle });
  return { app, temporal, workflows, metrics, envConnection, close: () => connection.close() };
}

/**
 * Wires the API's dependencies from configuration: the same wiring for `npm run dev`, `npm run api`
 * and tests that want the whole thing.
 */
import { Client, Connection } from '@temporalio/client';
import type { Env } from '../config/env.ts';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../db/client.ts';
import { settingsDefaultsFromEnv } from '../config/settings-defaults.ts';
import { createApp } from './app.ts';
import { createTokenVerifier } from './auth.ts';
import { createTenantWorkflows } from './tenant-workflow.ts';
import { createReconcileSchedules } from './reconcile-schedules.ts';
import { xeroIntegrationFromEnv } from './routes/integrations/xero/deps.ts';
import { xeroAdminFromEnv } from './routes/admin/deps.ts';

export async function buildApi({ env, db, logger }: { env: Env; db: Db; logger: Logger }) {
  // Lazy: the API starts (and /healthz answers) even while Temporal is still coming up.
  const connection = Connection.lazy({ address: env.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
  // Issue 7: each connected organisation's reconciliation schedule follows its sync (connect, pause, resume).
  const schedules = createReconcileSchedules(temporal, { taskQueue: env.TEMPORAL_TASK_QUEUE, intervalMs: env.RECONCILE_INTERVAL, logger });
  const app = createApp({
    db,
    temporal,
    tenants: createTenantWorkflows(temporal, env.TEMPORAL_TASK_QUEUE),
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
    xeroIntegration: xeroIntegrationFromEnv({ env, db, logger, tenants: createTenantWorkflows(temporal, env.TEMPORAL_TASK_QUEUE), schedules }),
    xeroAdmin: xeroAdminFromEnv(env),
  });
  return { app, temporal, close: () => connection.close() };
}

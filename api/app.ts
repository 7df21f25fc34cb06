/**
 * The Express app, apart from `listen` so tests run it in-process. Health routes first, then the
 * authenticated API, then ONE error handler.
 */
import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Db, DbOrTx } from '../db/client.ts';
import { loadEffectiveSettings, type SettingsDefaults } from '../db/queries/settings.ts';
import type { Logger } from '../config/logger.ts';
import { authenticate, type TokenVerifier } from './auth.ts';
import { HttpError, problemHandler } from './errors.ts';
import { invoiceSyncRouter } from './routes/invoice-sync.ts';
import { recordKinds } from './routes/record-kinds.ts';
import { recordsRouter, type StoreContext } from './routes/records.ts';
import { healthRouter } from './routes/health.ts';
import type { TenantWorkflows } from './tenant-workflow.ts';

export interface AppDeps {
  db: Db;
  temporal: Client;
  tenants: TenantWorkflows;
  verifyToken: TokenVerifier;
  logger: Logger;
  bodyLimit?: string;
  /** Deployment defaults for organisations without their own settings (from the environment). */
  settingsDefaults: SettingsDefaults;
}

async function storeContext(db: DbOrTx, orgId: string, defaults: SettingsDefaults): Promise<StoreContext> {
  const settings = await loadEffectiveSettings(db, { orgId, defaults });
  return { initialState: (type) => (type === 'invoice' && !settings.autoSyncInvoices ? 'skipped' : 'pending') };
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use(healthRouter(deps));

  app.use('/api', express.json({ limit: deps.bodyLimit ?? '1mb' }), authenticate(deps.verifyToken));
  app.use(recordsRouter({ ...deps, storeContext: (db, orgId) => storeContext(db, orgId, deps.settingsDefaults) }, recordKinds));
  app.use(invoiceSyncRouter(deps));

  app.use((req) => {
    throw new HttpError(404, 'not_found', `No route for ${req.method} ${req.path}.`);
  });
  app.use(problemHandler(deps.logger));
  return app;
}

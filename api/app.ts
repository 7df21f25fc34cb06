/**
 * The Express app, apart from `listen` so tests run it in-process. Health routes first, then the
 * authenticated API, then ONE error handler.
 */
import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Db, DbOrTx } from '../db/client.ts';
import { loadEffectiveSettings, type SettingsDefaults } from '../db/queries/settings.ts';
import type { Logger } from '../config/logger.ts';
import type { OrgWorkflows } from '../workflows/client/org-workflows.ts';
import { authenticate, type TokenVerifier } from './auth.ts';
import { HttpError, problemHandler } from './errors.ts';
import { refuseNulCharacters } from './refuse-nul.ts';
import type { SyncLifecycle } from './sync-lifecycle.ts';
import { invoiceSyncRouter } from './routes/invoice-sync.ts';
import { paymentReversalRouter } from './routes/payment-reversal.ts';
import { invoiceVoidRouter } from './routes/invoice-void.ts';
import { recordKinds } from './routes/record-kinds.ts';
import { recordsRouter, type StoreContext } from './routes/records.ts';
import { healthRouter } from './routes/health.ts';
import { planRouter } from './routes/plan.ts';
import { revenueRouter } from './routes/revenue/router.ts';
import { xeroIntegrationRouter, xeroOAuthCallbackRouter } from './routes/integrations/xero/router.ts';
import type { XeroIntegrationDeps } from './routes/integrations/xero/deps.ts';
import { xeroWebhookRouter, type XeroWebhookOptions } from './webhooks/xero-webhook-route.ts';
import { xeroAdminRouter } from './routes/admin/router.ts';
import { orgSyncRouter } from './routes/admin/org-router.ts';
import type { XeroAdminDeps } from './routes/admin/deps.ts';
import { apiMetricsRouter } from './routes/metrics.ts';
import { docsRouter } from './routes/docs.ts';
import { openApiDocument } from './openapi/catalogue.ts';
import { serviceVersion } from './openapi/version.ts';
import { DEFAULT_CALLBACK_PATH } from './routes/integrations/xero/deps.ts';
import { createApiMetrics, type ApiMetrics } from '../metrics/api-metrics.ts';
import type { UiDeps } from './ui/deps.ts';
import { consentReturnToSettings } from './ui/consent-return.ts';
import { uiPagesRouter } from './ui/pages.ts';
import { sessionPrincipal } from './ui/session-auth.ts';
import { createUiSessions } from './ui/sessions.ts';
import { signInLinkRouter } from './ui/sign-in-links.ts';
import type { LinkImportWorkflows } from '../workflows/client/link-imports.ts';
import { LINK_IMPORT_BODY_LIMIT } from './routes/links/link-rows.ts';
import { LINK_IMPORT_PATHS, linkImportRouter } from './routes/links/router.ts';

export interface AppDeps {
  db: Db;
  temporal: Client;
  workflows: OrgWorkflows;
  /** Starts and stops an organisation's workflow and schedule as its connection and plan change. */
  lifecycle: SyncLifecycle;
  verifyToken: TokenVerifier;
  logger: Logger;
  bodyLimit?: string;
  /** Deployment defaults for organisations without their own settings (from the environment). */
  settingsDefaults: SettingsDefaults;
  /** Xero's webhook endpoint (XERO_WEBHOOK_KEY, WEBHOOK_PATH); not mounted when absent. */
  xeroWebhooks?: XeroWebhookOptions;
  /** Connections, settings, mappings and the OAuth callback; not mounted when absent. */
  xeroIntegration?: XeroIntegrationDeps;
  /** Platform-admin status, logs, retry and resync of any organisation, and the organisation's own status, logs and retry; not mounted when absent. */
  xeroAdmin?: XeroAdminDeps;
  /** This process's Prometheus registry and what it counts (`GET /metrics`); a fresh one when absent. */
  metrics?: ApiMetrics;
  /** API_PUBLIC_URL: the server the OpenAPI document names. */
  publicUrl?: string;
  /** The settings page, the console and their browser sessions; not mounted when absent. */
  ui?: UiDeps;
  /** Starts the verification of an import of existing Xero links; the links routes are mounted with it. */
  linkImports?: LinkImportWorkflows;
}

async function storeContext(db: DbOrTx, orgId: string, defaults: SettingsDefaults): Promise<StoreContext> {
  const settings = await loadEffectiveSettings(db, { orgId, defaults });
  return { initialState: (type) => (type === 'invoice' && !settings.autoSyncInvoices ? 'skipped' : 'pending') };
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  const metrics = deps.metrics ?? createApiMetrics();
  const sessions = deps.ui && createUiSessions(deps.db, deps.ui.sessions);
  app.use(healthRouter(deps));
  app.use(apiMetricsRouter(metrics));
  // The routes' catalogue as this deployment serves them (its webhook and callback paths).
  const document = openApiDocument(
    { webhookPath: deps.xeroWebhooks?.path ?? '/billing/xero/webhooks/', callbackPath: deps.xeroIntegration?.callbackPath ?? DEFAULT_CALLBACK_PATH },
    { version: serviceVersion(), serverUrl: deps.publicUrl },
  );
  app.use(docsRouter({ document }));
  // Before any JSON parser and outside /api auth: signed over the raw bytes, answered with empty bodies.
  if (deps.xeroWebhooks) app.use(xeroWebhookRouter({ ...deps, metrics, xeroWebhooks: deps.xeroWebhooks }));
  // A browser redirect from Xero: no bearer token, authorised by its signed single-use state.
  if (deps.xeroIntegration) {
    const returnToPage = sessions && consentReturnToSettings({ db: deps.db, sessions, states: deps.xeroIntegration.states });
    app.use(xeroOAuthCallbackRouter({ ...deps, xero: deps.xeroIntegration, returnToPage }));
  }
  if (deps.ui && sessions) app.use(uiPagesRouter({ ...deps.ui, db: deps.db, sessions }));

  // 10,000 imported links are more than the general limit; the general parser skips a body already parsed.
  app.use(LINK_IMPORT_PATHS, express.json({ limit: LINK_IMPORT_BODY_LIMIT }));
  app.use('/api', express.json({ limit: deps.bodyLimit ?? '1mb' }), authenticate(deps.verifyToken, sessions && sessionPrincipal(sessions)), refuseNulCharacters);
  if (sessions) app.use(signInLinkRouter({ db: deps.db, sessions }));
  app.use(recordsRouter({ ...deps, storeContext: (db, orgId) => storeContext(db, orgId, deps.settingsDefaults) }, recordKinds));
  app.use(invoiceSyncRouter(deps));
  app.use(paymentReversalRouter(deps));
  app.use(invoiceVoidRouter(deps));
  app.use(planRouter(deps));
  app.use(revenueRouter(deps));
  if (deps.xeroIntegration) app.use(xeroIntegrationRouter({ ...deps, xero: deps.xeroIntegration }));
  if (deps.xeroAdmin) {
    app.use(xeroAdminRouter({ ...deps, admin: deps.xeroAdmin }));
    app.use(orgSyncRouter({ ...deps, admin: deps.xeroAdmin }));
  }
  if (deps.linkImports) app.use(linkImportRouter({ ...deps, linkImports: deps.linkImports }));

  app.use((req) => {
    throw new HttpError(404, 'not_found', `No route for ${req.method} ${req.path}.`);
  });
  app.use(problemHandler(deps.logger));
  return app;
}

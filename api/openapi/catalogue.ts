/**
 * Every route of the API, in one catalogue: what `GET /openapi.json` describes. A new route adds its entry to
 * one of `routes/*.ts` (or a new file listed here); test/integration/openapi.test.ts walks the Express app and
 * fails, naming each route, when one is missing here or listed here but not served.
 */
import { recordKinds } from '../routes/record-kinds.ts';
import { buildOpenApiDocument, type OpenApiDocument } from './document.ts';
import { adminRoutes, ownDiagnosisRoutes } from './routes/admin.ts';
import { serviceRoutes } from './routes/health.ts';
import { integrationRoutes } from './routes/integrations.ts';
import { recordActionRoutes, recordRoutes } from './routes/records.ts';
import { revenueRoutes } from './routes/revenue.ts';
import { linkImportRoutes } from './routes/links.ts';
import { uiRoutes } from './routes/ui.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import type { RouteDoc } from './route-doc.ts';
import { components } from './schemas/components.ts';

/** Paths the deployment configures (WEBHOOK_PATH, XERO_REDIRECT_URI's path). */
export interface CataloguePaths {
  webhookPath: string;
  callbackPath: string;
}

export function routeCatalogue(paths: CataloguePaths): RouteDoc[] {
  return [
    ...serviceRoutes,
    ...webhookRoutes(paths),
    ...recordRoutes(recordKinds),
    ...recordActionRoutes,
    ...revenueRoutes,
    ...integrationRoutes(paths),
    ...ownDiagnosisRoutes,
    ...linkImportRoutes,
    ...adminRoutes,
    ...uiRoutes,
  ];
}

const TAGS = [
  { name: 'records', description: "The main app's contacts, invoices, receipts, expenses and credit notes, and their sync state; voids and reversals." },
  { name: 'revenue', description: 'Revenue recognition: earned and unearned revenue, and the journals posted to Xero.' },
  { name: 'integrations', description: "One organisation's Xero connection, settings and mappings (Settings > Integrations > Xero), its own sync status, log and retry, its plan, the OAuth callback." },
  { name: 'admin', description: "Platform admins: any organisation's sync status, retry, resync." },
  { name: 'pages', description: "The settings page and the console: sign-in links, sessions, the HTML pages and their assets." },
  { name: 'webhooks', description: 'Deliveries from Xero.' },
  { name: 'health', description: 'Liveness and readiness.' },
  { name: 'operations', description: 'Metrics and this document.' },
];

export function openApiDocument(paths: CataloguePaths, { version, serverUrl }: { version: string; serverUrl?: string }): OpenApiDocument {
  return buildOpenApiDocument({ version, routes: routeCatalogue(paths), components, tags: TAGS, serverUrl });
}

/** The Xero integration of one organisation (the settings page's API), its plan switch, and the OAuth callback. */
import { callbackQuery } from '../../routes/integrations/xero/callback.ts';
import { choicesAnswer } from '../../routes/integrations/xero/choices.ts';
import { setupAnswer } from '../../routes/integrations/xero/setup.ts';
import { connectBody } from '../../routes/integrations/xero/connect.ts';
import { mappingsBody } from '../../routes/integrations/xero/mappings.ts';
import { settingsBody } from '../../routes/integrations/xero/settings.ts';
import { pickBody } from '../../routes/integrations/xero/tenants.ts';
import { orgParams } from '../../routes/params.ts';
import { planBody } from '../../routes/plan.ts';
import { toJsonSchema } from '../document.ts';
import type { RouteDoc } from '../route-doc.ts';
import {
  callbackAnswerSchema,
  cardWithRevenueSchema,
  consentStartedSchema,
  disconnectedSchema,
  mappingsViewSchema,
  planSchema,
  settingsViewSchema,
  tenantsSchema,
  testConnectionSchema,
} from '../schemas/integrations.ts';

const BASE = '/api/orgs/:orgId/integrations/xero';
const CARD = { component: 'IntegrationCard' };
/** Access first (another organisation's caller gets 404 whatever its plan), then the plan. */
const GUARDS = { 403: ['forbidden', 'plan_required'], 404: ['not_found'] };
/** Talking to Xero on the admin's behalf: what Xero's refusals become. */
const XERO = {
  409: ['xero_needs_reauth', 'xero_not_connected', 'xero_disconnected', 'xero_forbidden', 'xero_credentials_refused', 'xero_scope_missing'],
  502: ['xero_unreachable', 'xero_error'],
  503: ['xero_rate_limited'],
};
const read = { tag: 'integrations', auth: 'bearer' as const, roles: ['client_admin' as const, 'service' as const], params: orgParams };
const write = { ...read, roles: ['client_admin' as const] };

export function integrationRoutes({ callbackPath }: { callbackPath: string }): RouteDoc[] {
  return [
    { ...read, method: 'get', path: BASE, operationId: 'getXeroIntegration', summary: 'The integration card', description: "Status, which Xero organisation, token expiry, last sync, what to do next, and revenue recognition's totals. Never a token.", responses: { 200: { description: 'The card', schema: cardWithRevenueSchema } }, errors: GUARDS },
    {
      ...write,
      method: 'post',
      path: `${BASE}/connect`,
      operationId: 'connectXero',
      summary: 'Connect Xero',
      description: '`{}` or `{"type":"oauth"}`: the consent URL to send the admin to (the callback finishes). `{"type":"custom"}`: links the custom connection now.',
      body: { schema: connectBody, required: false },
      responses: { 200: { description: "The consent URL (OAuth), or the card (custom connection)", schema: { jsonSchema: { oneOf: [toJsonSchema(consentStartedSchema, 'output'), { $ref: '#/components/schemas/IntegrationCard' }] } } } },
      errors: {
        ...GUARDS,
        ...XERO,
        409: [...XERO[409], 'xero_app_not_configured', 'tenant_mismatch', 'tenant_linked_elsewhere'],
        422: ['custom_connection_not_configured', 'custom_connection_incomplete', 'custom_connection_without_organisation', 'xero_credentials_refused', 'xero_app_incomplete'],
      },
    },
    { ...read, method: 'get', path: `${BASE}/tenants`, operationId: 'getXeroTenants', summary: 'The Xero organisations of the consent, to pick one', responses: { 200: { description: 'Each organisation, whether it is the current one or linked to another platform organisation', schema: tenantsSchema } }, errors: { ...GUARDS, ...XERO, 409: [...XERO[409], 'no_consent_to_pick_from'] } },
    { ...write, method: 'post', path: `${BASE}/tenant`, operationId: 'pickXeroTenant', summary: 'Choose the Xero organisation to sync with', body: { schema: pickBody }, responses: { 200: { description: 'The card, connected', schema: CARD } }, errors: { ...GUARDS, ...XERO, 409: [...XERO[409], 'no_consent_to_pick_from', 'tenant_linked_elsewhere'] } },
    { ...read, method: 'get', path: `${BASE}/settings`, operationId: 'getXeroSettings', summary: "The organisation's settings", description: '`null`: the deployment default; `effective`: what the sync uses. The client secret is write-only (`clientSecretSet`).', responses: { 200: { description: 'Settings', schema: settingsViewSchema } }, errors: GUARDS },
    { ...write, method: 'put', path: `${BASE}/settings`, operationId: 'putXeroSettings', summary: 'Change settings (a partial update)', description: 'A field left out keeps its value; `null` returns it to the default. Codes are checked against the connected Xero organisation, and a bad one is refused with the valid choices listed.', body: { schema: settingsBody }, responses: { 200: { description: 'Settings, and whether they were checked against Xero', schema: settingsViewSchema } }, errors: { ...GUARDS, ...XERO, 409: [...XERO[409], 'disconnect_first'] } },
    { ...read, method: 'get', path: `${BASE}/mappings`, operationId: 'getXeroMappings', summary: 'Service → account code and tax code → Xero tax type mappings', responses: { 200: { description: 'Mappings', schema: mappingsViewSchema } }, errors: GUARDS },
    { ...write, method: 'put', path: `${BASE}/mappings`, operationId: 'putXeroMappings', summary: 'Replace every mapping', body: { schema: mappingsBody }, responses: { 200: { description: 'Mappings, and whether they were checked against Xero', schema: mappingsViewSchema } }, errors: { ...GUARDS, ...XERO } },
    { ...read, method: 'post', path: `${BASE}/test`, operationId: 'testXeroConnection', summary: 'Test the connection, check by check', description: 'Read-only calls (Organisation, Accounts, TaxRates, Currencies) saying whether the sync will work and what to fix.', responses: { 200: { description: 'Each check and its verdict', schema: testConnectionSchema } }, errors: GUARDS },
    {
      ...read,
      method: 'get',
      path: `${BASE}/choices`,
      operationId: 'getXeroChoices',
      summary: "What the settings page's pickers offer, from the connected Xero organisation",
      description: 'Active accounts marked by what they may be used for, active tax rates marked by whether sales may use them, and the currencies: one read each of Organisation, Accounts, TaxRates and Currencies.',
      responses: { 200: { description: 'The choices', schema: choicesAnswer } },
      errors: { ...GUARDS, ...XERO, 409: [...XERO[409], 'not_connected'] },
    },
    {
      ...read,
      method: 'get',
      path: `${BASE}/setup`,
      operationId: 'getXeroSetup',
      summary: 'What connecting needs, and what this deployment has of it',
      description: 'Which Xero app Connect uses, the redirect URI and webhook URL to give Xero, a checklist, and the environment variables that matter (secrets say only whether they are set).',
      responses: { 200: { description: 'The setup', schema: setupAnswer } },
      errors: GUARDS,
    },
    { ...write, method: 'post', path: `${BASE}/disconnect`, operationId: 'disconnectXero', summary: 'Disconnect Xero', description: 'Removes the connection at Xero (when it can), wipes the tokens and pauses the sync. Records on both sides stay.', responses: { 200: { description: 'The card, and what was removed at Xero', schema: disconnectedSchema } }, errors: { ...GUARDS, 409: ['not_connected', 'xero_app_not_configured'] } },
    {
      method: 'get',
      path: '/api/orgs/:orgId/plan',
      operationId: 'getPlan',
      summary: "Whether the organisation's plan includes integrations",
      tag: 'integrations',
      auth: 'bearer',
      roles: ['service'],
      params: orgParams,
      responses: { 200: { description: 'The plan', schema: planSchema } },
      errors: { 403: ['forbidden'], 404: ['not_found'] },
    },
    {
      method: 'put',
      path: '/api/orgs/:orgId/plan',
      operationId: 'putPlan',
      summary: "The main app says whether the organisation's plan includes integrations",
      description: 'Off: every integration route answers 403 `plan_required` and the sync pauses. On again: it resumes if Xero is still connected.',
      tag: 'integrations',
      auth: 'bearer',
      roles: ['service'],
      params: orgParams,
      body: { schema: planBody },
      responses: { 200: { description: 'The plan', schema: planSchema } },
      errors: { 403: ['forbidden'], 404: ['not_found'] },
    },
    {
      method: 'get',
      path: callbackPath,
      operationId: 'xeroOAuthCallback',
      summary: "Xero sends the admin's browser back here (XERO_REDIRECT_URI)",
      description: "No bearer token: the signed, expiring, single-use `state` authorises it. A browser gets a small HTML page saying what happened and what to do; a client asking for JSON gets JSON (problem+json for failures).",
      tag: 'integrations',
      auth: 'none',
      browserPages: true,
      query: callbackQuery,
      responses: {
        200: { description: 'Connected, or several Xero organisations to choose from', schema: callbackAnswerSchema, alternatives: { 'text/html': { jsonSchema: { type: 'string' } } } },
        303: {
          description: 'A browser signed in to the settings page: back to it, where the outcome is shown (success or failure alike)',
          headers: { location: { description: 'The settings page', schema: { type: 'string' } } },
        },
      },
      errors: {
        400: ['invalid_state', 'state_expired', 'consent_denied', 'consent_failed', 'code_rejected'],
        403: ['plan_required'],
        409: ['state_used', 'xero_app_not_configured', 'xero_app_changed', 'tenant_linked_elsewhere', ...XERO[409]],
        422: ['no_organisation'],
        502: XERO[502],
        503: XERO[503],
      },
    },
  ];
}


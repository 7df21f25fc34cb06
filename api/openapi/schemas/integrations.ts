/** Answers of one organisation's Xero integration (Settings > Integrations > Xero), its plan and the OAuth callback. */
import { z } from 'zod';
import { checkNames } from '../../routes/integrations/xero/test-connection.ts';
import { integrationCardSchema } from '../../routes/integrations/xero/card.ts';
import { instant } from './common.ts';
import { revenueOverviewSchema } from './revenue.ts';

export const planSchema = z.object({ orgId: z.string(), integrations: z.boolean() });

/** The settings page's own read of the card carries revenue recognition's totals beside it. */
export const cardWithRevenueSchema = integrationCardSchema.extend({ revenueRecognition: revenueOverviewSchema });

export const consentStartedSchema = z.object({
  type: z.literal('oauth'),
  app: z.enum(['organisation', 'deployment']).meta({ description: "Whose Xero app the consent is for: the organisation's own (its settings) or the deployment's" }),
  consentUrl: z.url().meta({ description: "Xero's consent page: send the admin's browser there." }),
  expiresAt: instant,
});

export const disconnectedSchema = integrationCardSchema.extend({
  xero: z.object({ connectionRemoved: z.boolean(), grantRevoked: z.boolean(), message: z.string() }),
});

export const tenantsSchema = z.object({
  status: z.string(),
  tenants: z.array(z.object({ tenantId: z.string(), tenantName: z.string().nullable(), current: z.boolean(), linkedElsewhere: z.boolean() })),
});

export const settingsViewSchema = z.looseObject({
  clientId: z.string().nullable(),
  clientSecretSet: z.boolean().meta({ description: 'Write-only: whether a secret is stored, never what it is.' }),
  effective: z.looseObject({}).meta({ description: 'What the sync uses: these settings over the deployment defaults.' }),
  updatedAt: instant.nullable(),
  checkedAgainstXero: z.boolean().optional().meta({ description: 'On a PUT: whether the codes were checked against the connected Xero organisation.' }),
  notCheckedBecause: z.string().optional().meta({ description: 'On a PUT not checked against Xero: why' }),
});

const codeTable = z.record(z.string(), z.string());
export const mappingsViewSchema = z.object({
  serviceAccounts: codeTable,
  taxTypes: codeTable,
  trackingCategories: codeTable,
  serviceItems: codeTable,
  checkedAgainstXero: z.boolean().optional(),
  notCheckedBecause: z.string().optional().meta({ description: 'On a PUT not checked against Xero: why (not connected, a scope the app lacks)' }),
});

export const testConnectionSchema = z.object({
  ok: z.boolean(),
  checks: z.array(z.object({ check: z.enum(checkNames), status: z.enum(['pass', 'fail', 'warn', 'skipped']), message: z.string() })),
});

export const callbackAnswerSchema = z.looseObject({
  code: z.enum(['connected', 'awaiting_tenant']),
  message: z.string(),
  card: integrationCardSchema.optional(),
  tenants: z.array(z.object({ tenantId: z.string(), tenantName: z.string().nullable() })).optional(),
});

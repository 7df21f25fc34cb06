/**
 * `GET` / `PUT /api/orgs/{orgId}/integrations/xero/settings`.
 *
 * PUT is a partial update: a field left out keeps its value (so the write-only client secret need not be
 * sent again), `null` returns a field to the deployment default. When Xero is connected, codes are checked
 * against the Xero organisation and a bad one is refused with the valid choices listed; the answer's
 * `checkedAgainstXero` says whether they were, and `notCheckedBecause` why not.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { getConnection } from '../../../../db/queries/connections.ts';
import { getOrgSettings, loadEffectiveSettings, updateOrgSettings, type OrgSettingsPatch, type OrgSettingsRow } from '../../../../db/queries/settings.ts';
import { ensureOrganisation } from '../../../../db/queries/organisations.ts';
import { amountTypes, contactMatchings, invoiceStatuses } from '../../../../db/schema/index.ts';
import { HttpError, validationError, type FieldError } from '../../../errors.ts';
import { checkBankAccount, checkCurrency, checkDeferredRevenueAccount, checkLineAccount, checkTaxType } from './code-checks.ts';
import { rememberCurrencies } from './remember-currencies.ts';
import { checkBrandingTheme } from './catalogue-checks.ts';
import type { IntegrationContext } from './context.ts';
import { orgIdOf } from '../../params.ts';
import { createXeroReader, type XeroReader } from '../../../../xero/reads.ts';
import { saveXeroCatalogue } from '../../../../db/queries/xero-catalogues.ts';
import { throwAsXeroProblem } from './xero-problem.ts';
import { regexSource } from '../../../../lib/regex-schema.ts';
import { lacksScopeMessage } from '../../../../xero/scopes.ts';
import { refuseSwitchingLiveApp } from './live-app-guard.ts';
import { missingScopeOf } from './xero-problem.ts';

/** Xero account codes are at most 10 characters. */
const accountCode = z.string().trim().min(1, 'required').max(10, 'Xero account codes are at most 10 characters');
const taxType = z.string().trim().min(1, 'required').max(50);
const validRegex = regexSource(500);

export const settingsBody = z.strictObject({
  clientId: z.string().trim().min(1).max(100).nullable().optional(),
  clientSecret: z.string().min(1).max(200).nullable().optional(),
  defaultTaxType: taxType.nullable().optional(),
  autoSyncInvoices: z.boolean().nullable().optional(),
  defaultRevenueAccountCode: accountCode.nullable().optional(),
  invoiceStatus: z.enum(invoiceStatuses, { message: `expected one of ${invoiceStatuses.join(', ')}` }).nullable().optional(),
  amountType: z.enum(amountTypes, { message: `expected one of ${amountTypes.join(', ')}` }).nullable().optional(),
  currencyCode: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as NZD').nullable().optional(),
  emailInvoices: z.boolean().nullable().optional(),
  emailWhitelistRegex: validRegex.nullable().optional(),
  bankAccountCode: accountCode.nullable().optional(),
  deferredRevenueAccountCode: accountCode.nullable().optional(),
  brandingThemeId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "expected a Xero branding theme's id (BrandingThemeID)").nullable().optional(),
  onlineInvoiceLinks: z.boolean().nullable().optional(),
  /** `null`: the deployment's XERO_CONTACT_MATCH. */
  contactMatching: z.enum(contactMatchings, { message: `expected one of ${contactMatchings.join(', ')}` }).nullable().optional(),
});
type SettingsBody = z.output<typeof settingsBody>;

function presentSettings(row: OrgSettingsRow | undefined) {
  return {
    clientId: row?.clientId ?? null,
    // Write-only: whether one is stored, never what it is.
    clientSecretSet: !!row?.clientSecretEnc,
    defaultTaxType: row?.defaultTaxType ?? null,
    autoSyncInvoices: row?.autoSyncInvoices ?? null,
    defaultRevenueAccountCode: row?.defaultRevenueAccountCode ?? null,
    invoiceStatus: row?.invoiceStatus ?? null,
    amountType: row?.amountType ?? null,
    currencyCode: row?.currencyCode ?? null,
    emailInvoices: row?.emailInvoices ?? null,
    emailWhitelistRegex: row?.emailWhitelistRegex ?? null,
    bankAccountCode: row?.bankAccountCode ?? null,
    deferredRevenueAccountCode: row?.deferredRevenueAccountCode ?? null,
    brandingThemeId: row?.brandingThemeId ?? null,
    onlineInvoiceLinks: row?.onlineInvoiceLinks ?? null,
    contactMatching: row?.contactMatching ?? null,
  };
}

async function settingsView({ db, xero }: IntegrationContext, orgId: string) {
  const [row, effective] = await Promise.all([getOrgSettings(db, { orgId }), loadEffectiveSettings(db, { orgId, defaults: xero.settingsDefaults })]);
  const { serviceAccounts: _s, taxTypes: _t, trackingCategories: _c, serviceItems: _i, ...effectiveSettings } = effective;
  // `null` above means "deployment default"; `effective` is what the sync uses.
  return { ...presentSettings(row), effective: effectiveSettings, updatedAt: row?.updatedAt?.toISOString() ?? null };
}

/** What `GET .../settings` answers (PUT adds `checkedAgainstXero`). */
export type SettingsAnswer = Awaited<ReturnType<typeof settingsView>>;

export function getSettings(ctx: IntegrationContext): RequestHandler {
  return async (req, res) => {
    res.json(await settingsView(ctx, orgIdOf(req)));
  };
}

export function putSettings(ctx: IntegrationContext): RequestHandler {
  return async (req, res) => {
    const orgId = orgIdOf(req);
    const body = settingsBody.safeParse(req.body ?? {});
    if (!body.success) throw validationError(body.error);
    const input = body.data;

    const [current, connection] = await Promise.all([getOrgSettings(ctx.db, { orgId }), getConnection(ctx.db, { orgId })]);
    refuseSwitchingLiveApp(input, current, connection);

    const check = connection?.status === 'connected' ? await codeProblems(ctx, orgId, input) : { checked: false as const, reason: 'Xero is not connected' };
    if (check.checked && check.problems.length > 0) {
      throw new HttpError(422, 'validation_failed', `Invalid body: ${check.problems.map((f) => `${f.path}: ${f.message}`).join('; ')}`, check.problems);
    }

    const { clientSecret, ...plain } = input;
    const patch: OrgSettingsPatch = { ...plain };
    if (clientSecret !== undefined) patch.clientSecretEnc = clientSecret === null ? null : ctx.xero.secrets.encrypt(clientSecret, `client_secret:${orgId}`);
    await ensureOrganisation(ctx.db, { orgId });
    await updateOrgSettings(ctx.db, { orgId, patch });
    if (connection?.status === 'connected' && input.deferredRevenueAccountCode) await ctx.lifecycle.ensureRevenueSchedule(orgId);
    res.json({ ...(await settingsView(ctx, orgId)), checkedAgainstXero: check.checked, ...(check.checked ? {} : { notCheckedBecause: check.reason }) });
  };
}

/** What checking a PUT's codes against Xero found, or why they were not checked. */
type CodeCheck = { checked: true; problems: FieldError[] } | { checked: false; reason: string };

/**
 * Every code set by this PUT, checked against the connected Xero organisation (each list read once).
 * The chart of accounts, tax rates and currencies need a settings scope: an app without it (the AMS
 * guide's has only accounting.contacts and accounting.transactions) gets its codes stored unchecked.
 */
async function codeProblems(ctx: IntegrationContext, orgId: string, input: SettingsBody): Promise<CodeCheck> {
  const reader = createXeroReader({ client: ctx.xero.client, orgId });
  const checks: Array<[string, string | null | undefined, (code: string) => Promise<string | undefined>]> = [
    ['defaultRevenueAccountCode', input.defaultRevenueAccountCode, (c) => checkLineAccount(reader, c)],
    ['deferredRevenueAccountCode', input.deferredRevenueAccountCode, (c) => checkDeferredRevenueAccount(reader, c)],
    ['bankAccountCode', input.bankAccountCode, (c) => checkBankAccount(reader, c)],
    ['defaultTaxType', input.defaultTaxType, (c) => checkTaxType(reader, c)],
    ['currencyCode', input.currencyCode, (c) => checkCurrency(reader, c)],
    ['brandingThemeId', input.brandingThemeId, (id) => checkBrandingThemeKeepingList(ctx, orgId, reader, id)],
  ];
  try {
    const results = await Promise.all(
      checks.map(async ([field, value, check]) => {
        const message = value ? await check(value) : undefined;
        return message ? { path: `body.${field}`, message } : undefined;
      }),
    );
    await rememberCurrencies(ctx.db, orgId, reader);
    return { checked: true, problems: results.filter((r): r is FieldError => !!r) };
  } catch (err) {
    const missing = missingScopeOf(err);
    if (missing) return { checked: false, reason: lacksScopeMessage('codes not verified', missing) };
    throwAsXeroProblem(err);
  }
}

/** The themes read for the check are a true copy of Xero's: kept, so invoices naming a theme are checked against them. */
async function checkBrandingThemeKeepingList(ctx: IntegrationContext, orgId: string, reader: XeroReader, id: string): Promise<string | undefined> {
  const problem = await checkBrandingTheme(reader, id);
  await saveXeroCatalogue(ctx.db, { orgId, kind: 'branding_themes', entries: await reader.brandingThemes() });
  return problem;
}

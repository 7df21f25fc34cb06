/**
 * `POST /api/orgs/{orgId}/integrations/xero/test`: read-only calls (Organisation, Accounts, TaxRates,
 * Currencies) that tell an admin, check by check, whether the sync will work, and what to fix when not.
 * Works before the first sync; changes nothing but a refreshed token and the Xero organisation's name.
 */
import type { RequestHandler } from 'express';
import { XeroConnectionUnavailable } from '../../../../xero/access.ts';
import { XeroIdentityError } from '../../../../xero/identity-client.ts';
import { getConnection, updateXeroTenantName, type XeroConnectionRow } from '../../../../db/queries/connections.ts';
import { loadEffectiveSettings, type EffectiveSettings } from '../../../../db/queries/settings.ts';
import { bankAccountProblem, checkCurrency, checkDeferredRevenueAccount, checkLineAccount, taxTypeProblem } from './code-checks.ts';
import { countLinesWithServicePeriod } from '../../../../db/queries/deferred-revenue-lines.ts';
import { servicePeriodWarning } from '../../revenue/summary.ts';
import type { IntegrationContext } from './context.ts';
import { orgIdOf } from '../../params.ts';
import { createXeroReader, type XeroReader } from '../../../../xero/reads.ts';
import { rememberCurrencies } from './remember-currencies.ts';
import { missingScopeOf, xeroProblem } from './xero-problem.ts';
import { lacksScope, lacksScopeMessage, parseScopes, SCOPE_NEEDS, SYNC_SCOPE_NEEDS } from '../../../../xero/scopes.ts';

export const checkNames = ['credentials', 'organisation', 'scopes', 'currency', 'account_codes', 'tax_types', 'bank_account', 'revenue_recognition'] as const;
export type CheckName = (typeof checkNames)[number];

export interface CheckResult {
  check: CheckName;
  /**
   * `warn`: the sync runs, but something will not (payments without a bank account) or could not be
   * verified (the app lacks the settings scope the read needs).
   */
  status: 'pass' | 'fail' | 'warn' | 'skipped';
  message: string;
}

export function postTestConnection(ctx: IntegrationContext): RequestHandler {
  return async (req, res) => {
    const orgId = orgIdOf(req);
    const checks = await runChecks(ctx, orgId);
    res.json({ ok: checks.every((c) => c.status === 'pass' || c.status === 'warn'), checks });
  };
}

const failed = (check: CheckName, message: string): CheckResult => ({ check, status: 'fail', message });
const passed = (check: CheckName, message: string): CheckResult => ({ check, status: 'pass', message });
const warned = (check: CheckName, message: string): CheckResult => ({ check, status: 'warn', message });

async function runChecks(ctx: IntegrationContext, orgId: string): Promise<CheckResult[]> {
  const remaining: CheckName[] = ['organisation', 'scopes', 'currency', 'account_codes', 'tax_types', 'bank_account', 'revenue_recognition'];
  const skipRest = (results: CheckResult[], why: string) => [
    ...results,
    ...remaining.filter((c) => !results.some((r) => r.check === c)).map((check) => ({ check, status: 'skipped' as const, message: why })),
  ];

  const credentials = await checkCredentials(ctx, orgId);
  if (credentials.status !== 'pass') return skipRest([credentials], 'Skipped: fix the credentials first.');

  const reader = createXeroReader({ client: ctx.xero.client, orgId });
  const results: CheckResult[] = [credentials];
  try {
    const organisation = await reader.organisation();
    if (organisation.name) await updateXeroTenantName(ctx.db, { orgId, tenantName: organisation.name });
    results.push(passed('organisation', `Connected to the Xero organisation '${organisation.name}'${organisation.baseCurrency ? ` (base currency ${organisation.baseCurrency})` : ''}.`));
  } catch (err) {
    // Organisation details need a settings scope the sync itself can do without: say so and go on.
    const missing = missingScopeOf(err);
    if (!missing) return skipRest([...results, failed('organisation', readFailure(err, 'the organisation'))], 'Skipped: Xero did not let us read the organisation.');
    results.push(warned('organisation', lacksScopeMessage('organisation details not read', missing)));
  }

  const [connection, settings] = await Promise.all([
    getConnection(ctx.db, { orgId }),
    loadEffectiveSettings(ctx.db, { orgId, defaults: ctx.xero.settingsDefaults }),
  ]);
  results.push(checkScopes(connection));
  results.push(await guarded('currency', () => checkCurrencySetting(reader, settings)));
  results.push(await guarded('account_codes', () => checkAccountCodes(reader, settings)));
  results.push(await guarded('tax_types', () => checkTaxTypes(reader, settings)));
  results.push(await guarded('bank_account', () => checkBank(reader, settings)));
  await rememberCurrencies(ctx.db, orgId, reader);
  results.push(await guarded('revenue_recognition', () => checkRevenueRecognition(ctx, orgId, reader, settings)));
  return results;
}

/**
 * A token we can get, that Xero still accepts, for an organisation still connected to the app: GET
 * /connections answers all three without spending the organisation's Accounting budget.
 */
async function checkCredentials(ctx: IntegrationContext, orgId: string): Promise<CheckResult> {
  const { tokens, identity } = ctx.xero;
  try {
    let access = await tokens.forOrg(orgId);
    let connections;
    try {
      connections = await identity.listConnections(access.accessToken);
    } catch (err) {
      if (!(err instanceof XeroIdentityError && err.status === 401)) throw err;
      access = await tokens.afterUnauthorized(orgId, access.accessToken); // rotated meanwhile, or revoked: finds out which
      connections = await identity.listConnections(access.accessToken);
    }
    if (!connections.some((c) => c.tenantId === access.tenantId)) {
      return failed('credentials', 'This Xero organisation is no longer connected to the app (it was disconnected in Xero): reconnect in Settings > Integrations > Xero.');
    }
    return passed('credentials', 'Xero accepted the credentials and the organisation is connected.');
  } catch (err) {
    if (err instanceof XeroConnectionUnavailable) return failed('credentials', err.message);
    const problem = xeroProblem(err);
    if (!problem) throw err;
    return failed('credentials', problem.message);
  }
}

function readFailure(err: unknown, what: string): string {
  const problem = xeroProblem(err);
  if (!problem) throw err;
  if (problem.code === 'xero_forbidden') return `Xero refused to show ${what}: the connection lacks a permission. Reconnect and approve every requested permission.`;
  return problem.message;
}

/** What each check verifies, for the warning when the app lacks the scope to read it. */
const VERIFIES: Record<CheckName, string> = {
  credentials: 'credentials',
  organisation: 'organisation details',
  scopes: 'scopes',
  currency: 'currency',
  account_codes: 'account codes',
  tax_types: 'tax types',
  bank_account: 'bank account',
  revenue_recognition: 'deferred revenue account',
};

async function guarded(check: CheckName, run: () => Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await run();
  } catch (err) {
    const missing = missingScopeOf(err);
    if (missing) return warned(check, lacksScopeMessage(`${VERIFIES[check]} not verified`, missing));
    return failed(check, readFailure(err, check === 'tax_types' ? 'the tax rates' : check === 'currency' ? 'the currencies' : 'the accounts'));
  }
}

/**
 * What Xero granted (stored from its token answer), against what the sync needs: contacts, invoices and
 * payments are the sync itself; the settings scope only serves the checks below, so without it they are
 * skipped with a warning and the sync runs.
 */
function checkScopes(connection: XeroConnectionRow | undefined): CheckResult {
  const granted = parseScopes(connection?.scopes);
  if (granted.length === 0) return passed('scopes', 'Xero did not list the granted scopes; the read checks below show what works.');
  const missing = SYNC_SCOPE_NEEDS.filter((need) => lacksScope(granted, need)).map((need) => need.scope);
  if (missing.length > 0) {
    const fix =
      connection?.authType === 'custom'
        ? 'add them to the custom connection in the Xero developer portal, then connect again'
        : 'connect again and approve every requested permission';
    return failed('scopes', `Missing Xero permissions: ${missing.join(', ')}: ${fix}.`);
  }
  if (lacksScope(granted, SCOPE_NEEDS.settingsRead)) {
    return warned('scopes', `${lacksScopeMessage('account codes, tax rates and currencies not verified', SCOPE_NEEDS.settingsRead)}; contacts, invoices and payments sync.`);
  }
  return passed('scopes', 'Every permission the sync needs was granted.');
}

async function checkCurrencySetting(reader: XeroReader, settings: EffectiveSettings): Promise<CheckResult> {
  if (!settings.currencyCode) {
    // Read all the same: the sync refuses invoices in a currency Xero lacks before sending them.
    const enabled = await reader.currencies();
    return passed('currency', `Invoices use the Xero organisation's base currency${enabled.length > 0 ? `; enabled in Xero: ${enabled.join(', ')}` : ''}.`);
  }
  const problem = await checkCurrency(reader, settings.currencyCode);
  return problem ? failed('currency', `${problem} (Settings: currency).`) : passed('currency', `Currency ${settings.currencyCode} is enabled in Xero.`);
}

async function checkAccountCodes(reader: XeroReader, settings: EffectiveSettings): Promise<CheckResult> {
  const wanted: Array<[string, string]> = [
    ['default revenue account', settings.defaultRevenueAccountCode],
    ...Object.entries(settings.serviceAccounts).map(([service, code]): [string, string] => [`service '${service}'`, code]),
  ];
  const problems: string[] = [];
  for (const [what, code] of wanted) {
    const problem = await checkLineAccount(reader, code);
    if (problem) problems.push(`${what}: ${problem}`);
  }
  if (problems.length > 0) return failed('account_codes', `${problems.join(' ')} Fix them in Settings > Integrations > Xero.`);
  return passed('account_codes', `All ${wanted.length} account code(s) exist in Xero.`);
}

async function checkTaxTypes(reader: XeroReader, settings: EffectiveSettings): Promise<CheckResult> {
  const wanted: Array<[string, string]> = [
    ...(settings.defaultTaxType ? [['default tax rate', settings.defaultTaxType] as [string, string]] : []),
    ...Object.entries(settings.taxTypes).map(([taxCode, taxType]): [string, string] => [`tax code '${taxCode}'`, taxType]),
  ];
  const taxRates = await reader.taxRates();
  const problems = wanted.map(([what, taxType]) => [what, taxTypeProblem(taxRates, taxType)]).filter(([, p]) => p);
  if (problems.length > 0) return failed('tax_types', `${problems.map(([w, p]) => `${w}: ${p}`).join(' ')} Fix them in Settings > Integrations > Xero.`);
  return passed('tax_types', wanted.length ? `All ${wanted.length} tax type(s) are active in Xero.` : `Xero lists ${taxRates.filter((t) => t.status === 'ACTIVE').length} active tax rate(s); none is mapped yet, so Xero's defaults apply.`);
}

async function checkBank(reader: XeroReader, settings: EffectiveSettings): Promise<CheckResult> {
  if (!settings.bankAccountCode) {
    return { check: 'bank_account', status: 'warn', message: 'No bank account for payments: receipts taken in the platform will not reach Xero until you choose one in Settings.' };
  }
  const problem = bankAccountProblem(await reader.accounts(), settings.bankAccountCode);
  return problem ? failed('bank_account', `${problem} (Settings: bank account).`) : passed('bank_account', `Payments will be recorded against account ${settings.bankAccountCode}.`);
}

/**
 * Lines with a service period are deferred and recognised monthly only with a deferred revenue account (a
 * liability) set; without one they post straight to revenue, which is worth a warning once such lines exist.
 */
async function checkRevenueRecognition(ctx: IntegrationContext, orgId: string, reader: XeroReader, settings: EffectiveSettings): Promise<CheckResult> {
  const code = settings.deferredRevenueAccountCode;
  if (code) {
    const problem = await checkDeferredRevenueAccount(reader, code);
    if (problem) return failed('revenue_recognition', `deferred revenue account: ${problem} Fix it in Settings > Integrations > Xero.`);
    return passed('revenue_recognition', `Lines with a service period go to deferred revenue account ${code} and are recognised monthly into their revenue accounts by manual journals.`);
  }
  const withServicePeriod = await countLinesWithServicePeriod(ctx.db, { orgId });
  if (withServicePeriod > 0) return { check: 'revenue_recognition', status: 'warn', message: servicePeriodWarning(withServicePeriod) };
  return passed('revenue_recognition', 'No deferred revenue account is set: invoice lines post to revenue when invoiced (set one to recognise lines with a service period month by month).');
}

import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { orgMappings, orgSettings, type ContactMatching, type MappingKind } from '../schema/index.ts';

export type OrgSettingsRow = typeof orgSettings.$inferSelect;
export type InvoiceStatusToCreate = 'DRAFT' | 'SUBMITTED' | 'AUTHORISED';
export type AmountType = 'INCLUSIVE' | 'EXCLUSIVE' | 'NOTAX';

/** The fields an existing Xero contact is recognised by, in order (XERO_CONTACT_MATCH's words). */
export type ContactMatchField = 'contact_number' | 'email' | 'name';

/** An organisation's `contactMatching` setting as match fields: ContactNumber (our own id) always comes first. */
export const CONTACT_MATCH_ORDERS: Record<ContactMatching, ContactMatchField[]> = {
  create_only: ['contact_number'],
  email: ['contact_number', 'email'],
  email_then_name: ['contact_number', 'email', 'name'],
};

/** Deployment-wide defaults (from the environment: XERO_ACCOUNT_CODE, XERO_AMOUNT_TYPE, ...). */
export interface SettingsDefaults {
  /** XERO_CONTACT_MATCH: for organisations whose `contactMatching` is unset. */
  contactMatchOrder: ContactMatchField[];
  defaultRevenueAccountCode: string;
  amountType: AmountType;
  currencyCode?: string;
  emailInvoices: boolean;
  emailWhitelistRegex?: string;
  invoiceStatus?: InvoiceStatusToCreate;
  autoSyncInvoices?: boolean;
}

/** What the push engine actually uses: the organisation's own settings over the deployment defaults. */
export interface EffectiveSettings {
  defaultRevenueAccountCode: string;
  defaultTaxType?: string;
  invoiceStatus: InvoiceStatusToCreate;
  amountType: AmountType;
  currencyCode?: string;
  autoSyncInvoices: boolean;
  emailInvoices: boolean;
  /** The organisation's own whitelist, else the deployment's (what the settings page shows). */
  emailWhitelistRegex?: string;
  /**
   * AMS_BILLING_EMAIL_WHITELIST_REGEX: a recipient must match it too. An organisation's own whitelist may
   * only narrow the deployment's (a test deployment must never email real members, whatever an admin types).
   */
  deploymentEmailWhitelistRegex?: string;
  contactMatchOrder: ContactMatchField[];
  bankAccountCode?: string;
  deferredRevenueAccountCode?: string;
  /** service code → Xero account code */
  serviceAccounts: Record<string, string>;
  /** platform tax code → Xero tax type */
  taxTypes: Record<string, string>;
  /** The organisation's Xero branding theme (id) for invoices and credit notes. */
  brandingThemeId?: string;
  /** Fetch each approved invoice's online invoice link (default true). */
  onlineInvoiceLinks: boolean;
  /** platform dimension → Xero tracking category name */
  trackingCategories: Record<string, string>;
  /** service code → Xero item code */
  serviceItems: Record<string, string>;
}

export async function getOrgSettings(db: DbOrTx, { orgId }: { orgId: string }): Promise<OrgSettingsRow | undefined> {
  const [row] = await db.select().from(orgSettings).where(eq(orgSettings.orgId, orgId));
  return row;
}

export async function loadEffectiveSettings(
  db: DbOrTx,
  { orgId, defaults }: { orgId: string; defaults: SettingsDefaults },
): Promise<EffectiveSettings> {
  const [row, mappings] = await Promise.all([
    getOrgSettings(db, { orgId }),
    db.select().from(orgMappings).where(eq(orgMappings.orgId, orgId)),
  ]);
  return effectiveSettings(row, mappings, defaults);
}

export type OrgMappingRow = typeof orgMappings.$inferSelect;

/** The organisation's settings over the deployment's defaults, with its mappings by kind. */
export function effectiveSettings(row: OrgSettingsRow | undefined, mappings: OrgMappingRow[], defaults: SettingsDefaults): EffectiveSettings {
  const pick = (kind: MappingKind) => Object.fromEntries(mappings.filter((m) => m.kind === kind).map((m) => [m.platformCode, m.xeroCode]));
  return {
    defaultRevenueAccountCode: row?.defaultRevenueAccountCode ?? defaults.defaultRevenueAccountCode,
    defaultTaxType: row?.defaultTaxType ?? undefined,
    invoiceStatus: row?.invoiceStatus ?? defaults.invoiceStatus ?? 'AUTHORISED',
    amountType: row?.amountType ?? defaults.amountType,
    currencyCode: row?.currencyCode ?? defaults.currencyCode,
    autoSyncInvoices: row?.autoSyncInvoices ?? defaults.autoSyncInvoices ?? true,
    emailInvoices: row?.emailInvoices ?? defaults.emailInvoices,
    emailWhitelistRegex: row?.emailWhitelistRegex ?? defaults.emailWhitelistRegex,
    deploymentEmailWhitelistRegex: defaults.emailWhitelistRegex,
    contactMatchOrder: row?.contactMatching ? CONTACT_MATCH_ORDERS[row.contactMatching] : defaults.contactMatchOrder,
    bankAccountCode: row?.bankAccountCode ?? undefined,
    deferredRevenueAccountCode: row?.deferredRevenueAccountCode ?? undefined,
    serviceAccounts: pick('service_account'),
    taxTypes: pick('tax_type'),
    brandingThemeId: row?.brandingThemeId ?? undefined,
    onlineInvoiceLinks: row?.onlineInvoiceLinks ?? true,
    trackingCategories: pick('tracking_category'),
    serviceItems: pick('service_item'),
  };
}

/** Columns an admin may write; `clientSecretEnc` arrives already encrypted. `null` = back to the deployment default. */
export type OrgSettingsPatch = Partial<Omit<OrgSettingsRow, 'orgId' | 'updatedAt'>>;

/** Applies only the given columns; absent ones keep their value (the secret is write-only, so a PUT must not need it). */
export async function updateOrgSettings(db: DbOrTx, { orgId, patch }: { orgId: string; patch: OrgSettingsPatch }): Promise<void> {
  await db
    .insert(orgSettings)
    .values({ orgId, ...patch })
    .onConflictDoUpdate({ target: orgSettings.orgId, set: { ...patch, updatedAt: sql`now()` } });
}

export interface OrgMappings {
  /** service code → Xero account code */
  serviceAccounts: Record<string, string>;
  /** platform tax code → Xero tax type */
  taxTypes: Record<string, string>;
  /** platform dimension → Xero tracking category name */
  trackingCategories?: Record<string, string>;
  /** service code → Xero item code */
  serviceItems?: Record<string, string>;
}

export async function getOrgMappings(db: DbOrTx, { orgId }: { orgId: string }): Promise<OrgMappings> {
  const rows = await db.select().from(orgMappings).where(eq(orgMappings.orgId, orgId)).orderBy(orgMappings.kind, orgMappings.platformCode);
  const pick = (kind: MappingKind) => Object.fromEntries(rows.filter((m) => m.kind === kind).map((m) => [m.platformCode, m.xeroCode]));
  return {
    serviceAccounts: pick('service_account'),
    taxTypes: pick('tax_type'),
    trackingCategories: pick('tracking_category'),
    serviceItems: pick('service_item'),
  };
}

/**
 * Replaces the mappings given at once (a PUT): call inside a transaction so readers never see half a set.
 * Accounts and tax types are always replaced; tracking categories and items only when given, so a caller
 * that does not know them keeps what is stored.
 */
export async function replaceOrgMappings(db: DbOrTx, { orgId, mappings }: { orgId: string; mappings: OrgMappings }): Promise<void> {
  const tables: Array<[MappingKind, Record<string, string> | undefined]> = [
    ['service_account', mappings.serviceAccounts],
    ['tax_type', mappings.taxTypes],
    ['tracking_category', mappings.trackingCategories],
    ['service_item', mappings.serviceItems],
  ];
  const given = tables.filter((t): t is [MappingKind, Record<string, string>] => t[1] !== undefined);
  await db.delete(orgMappings).where(and(eq(orgMappings.orgId, orgId), inArray(orgMappings.kind, given.map(([kind]) => kind))));
  const rows = given.flatMap(([kind, table]) => Object.entries(table).map(([platformCode, xeroCode]) => ({ orgId, kind, platformCode, xeroCode })));
  if (rows.length > 0) await db.insert(orgMappings).values(rows);
}

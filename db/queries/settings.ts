import { eq, sql } from 'drizzle-orm';
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
  const pick = (kind: 'service_account' | 'tax_type') =>
    Object.fromEntries(mappings.filter((m) => m.kind === kind).map((m) => [m.platformCode, m.xeroCode]));
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
}

export async function getOrgMappings(db: DbOrTx, { orgId }: { orgId: string }): Promise<OrgMappings> {
  const rows = await db.select().from(orgMappings).where(eq(orgMappings.orgId, orgId)).orderBy(orgMappings.kind, orgMappings.platformCode);
  const pick = (kind: MappingKind) => Object.fromEntries(rows.filter((m) => m.kind === kind).map((m) => [m.platformCode, m.xeroCode]));
  return { serviceAccounts: pick('service_account'), taxTypes: pick('tax_type') };
}

/** Replaces every mapping at once (a PUT): call inside a transaction so readers never see half a set. */
export async function replaceOrgMappings(db: DbOrTx, { orgId, mappings }: { orgId: string; mappings: OrgMappings }): Promise<void> {
  await db.delete(orgMappings).where(eq(orgMappings.orgId, orgId));
  const rows = [
    ...Object.entries(mappings.serviceAccounts).map(([platformCode, xeroCode]) => ({ orgId, kind: 'service_account' as const, platformCode, xeroCode })),
    ...Object.entries(mappings.taxTypes).map(([platformCode, xeroCode]) => ({ orgId, kind: 'tax_type' as const, platformCode, xeroCode })),
  ];
  if (rows.length > 0) await db.insert(orgMappings).values(rows);
}

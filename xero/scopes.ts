/**
 * What the sync needs of a Xero app's scopes, in both of Xero's vocabularies: the broad scopes of apps
 * created before 2 March 2026 (`accounting.transactions` covers invoices and payments, `accounting.settings`
 * the chart of accounts, tax rates, currencies and organisation details) and the granular ones required of
 * newer apps (`accounting.invoices`, `accounting.payments`, `accounting.settings.read`).
 *
 * Contacts, invoices and payments are the sync itself. The settings scope only serves checks (account
 * codes, tax rates, currencies, the Demo Company test): an app without it, such as the AMS billing guide's
 * (exactly `accounting.contacts` and `accounting.transactions`), syncs fine and those checks are skipped.
 */

export interface ScopeNeed {
  /** The scope to name to an admin (the granular one: it exists in both vocabularies or is the newer name). */
  scope: string;
  /** Any one of these grants it. */
  grantedBy: string[];
}

export const SCOPE_NEEDS = {
  contacts: { scope: 'accounting.contacts', grantedBy: ['accounting.contacts'] },
  invoices: { scope: 'accounting.invoices', grantedBy: ['accounting.invoices', 'accounting.transactions'] },
  payments: { scope: 'accounting.payments', grantedBy: ['accounting.payments', 'accounting.transactions'] },
  settingsRead: { scope: 'accounting.settings.read', grantedBy: ['accounting.settings.read', 'accounting.settings'] },
  // Revenue recognition posts its monthly journals as manual journals; the broad transactions scope covers them.
  manualJournals: { scope: 'accounting.manualjournals', grantedBy: ['accounting.manualjournals', 'accounting.transactions'] },
} satisfies Record<string, ScopeNeed>;

/** What pushing contacts, invoices and receipts and reading payments back cannot do without. */
export const SYNC_SCOPE_NEEDS: ScopeNeed[] = [SCOPE_NEEDS.contacts, SCOPE_NEEDS.invoices, SCOPE_NEEDS.payments];

/** A space-separated scope string (Xero's token answer, a stored connection) as a list. */
export function parseScopes(value: string | null | undefined): string[] {
  return [...new Set((value ?? '').split(/\s+/).filter(Boolean))];
}

/**
 * Whether the granted scopes lack `need`. `undefined` when nothing is known of the grant (no scope was
 * recorded): then only Xero's answer can tell.
 */
export function lacksScope(granted: string[] | undefined, need: ScopeNeed): boolean | undefined {
  if (!granted || granted.length === 0) return undefined;
  return !need.grantedBy.some((s) => granted.includes(s));
}

/** The admin's words for a check skipped because of it, e.g. "account codes not verified: the app lacks accounting.settings.read". */
export function lacksScopeMessage(what: string, need: ScopeNeed): string {
  return `${what}: the app lacks ${need.scope}`;
}

/**
 * What an organisation's sync does without, because of the scopes Xero granted: warnings for the admin status.
 * Revenue recognition counts only once it is on (a deferred revenue account is set): until then the journals
 * scope is not needed.
 */
export function scopeWarnings(
  granted: string[],
  { revenueRecognition = false }: { revenueRecognition?: boolean } = {},
): Array<{ type: 'scope'; scope: string; message: string }> {
  const warnings: Array<{ type: 'scope'; scope: string; message: string }> = [];
  const warn = (need: ScopeNeed, what: string) => warnings.push({ type: 'scope', scope: need.scope, message: lacksScopeMessage(what, need) });
  if (lacksScope(granted, SCOPE_NEEDS.settingsRead) === true) {
    warn(SCOPE_NEEDS.settingsRead, 'account codes, tax rates, currencies and the Demo Company check not verified');
  }
  if (revenueRecognition && lacksScope(granted, SCOPE_NEEDS.manualJournals) === true) {
    warn(SCOPE_NEEDS.manualJournals, 'revenue recognition journals cannot be posted (reconnect with the scope to post them)');
  }
  return warnings;
}

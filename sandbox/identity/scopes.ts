/**
 * OAuth scopes. Xero has the older broad scopes (`accounting.transactions`, `accounting.settings`...) and,
 * for apps created from March 2026, granular ones (`accounting.invoices`, `accounting.payments`...).
 * An Accounting call needs any one of the scopes listed for it; without one Xero answers 401.
 */

const KNOWN = new Set([
  'openid', 'profile', 'email', 'offline_access',
  'accounting.transactions', 'accounting.transactions.read',
  'accounting.contacts', 'accounting.contacts.read',
  'accounting.settings', 'accounting.settings.read',
  'accounting.invoices', 'accounting.invoices.read',
  'accounting.payments', 'accounting.payments.read',
  'accounting.banktransactions', 'accounting.banktransactions.read',
  'accounting.manualjournals', 'accounting.manualjournals.read',
  'accounting.reports.read', 'accounting.journals.read', 'accounting.budgets.read',
  'accounting.attachments', 'accounting.attachments.read',
]);

export const ALL_ACCOUNTING_SCOPES = [...KNOWN].filter((s) => s.startsWith('accounting.'));

export function parseScopes(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return [...new Set(value.split(/[\s+]+/).map((s) => s.trim()).filter((s) => s.length > 0))];
}

/** Scopes Xero would not recognise (other Xero APIs' scopes are let through). */
export function unknownScopes(scopes: string[]): string[] {
  return scopes.filter((s) => !KNOWN.has(s) && !/^(payroll|files|assets|projects|bankfeeds|finance|practicemanager|paymentservices|marketplace|app)\./.test(s));
}

type Access = 'read' | 'write';

const RESOURCE_SCOPES: Record<string, Record<Access, string[]>> = {
  contacts: { read: ['accounting.contacts', 'accounting.contacts.read'], write: ['accounting.contacts'] },
  invoices: {
    read: ['accounting.transactions', 'accounting.transactions.read', 'accounting.invoices', 'accounting.invoices.read'],
    write: ['accounting.transactions', 'accounting.invoices'],
  },
  creditnotes: {
    read: ['accounting.transactions', 'accounting.transactions.read', 'accounting.invoices', 'accounting.invoices.read'],
    write: ['accounting.transactions', 'accounting.invoices'],
  },
  payments: {
    read: ['accounting.transactions', 'accounting.transactions.read', 'accounting.payments', 'accounting.payments.read'],
    write: ['accounting.transactions', 'accounting.payments'],
  },
  manualjournals: {
    read: ['accounting.transactions', 'accounting.transactions.read', 'accounting.manualjournals', 'accounting.manualjournals.read'],
    write: ['accounting.transactions', 'accounting.manualjournals'],
  },
  settings: { read: ['accounting.settings', 'accounting.settings.read'], write: ['accounting.settings'] },
};

export function hasScopeFor(granted: string[], resource: keyof typeof RESOURCE_SCOPES, access: Access): boolean {
  return RESOURCE_SCOPES[resource]![access].some((s) => granted.includes(s));
}

export type ScopedResource = keyof typeof RESOURCE_SCOPES;

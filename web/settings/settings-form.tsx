/**
 * The organisation's Xero settings. Only what the admin changed is sent (a field left alone keeps
 * following the deployment default); the API's message for a field appears beside it.
 */
import { useState } from 'preact/hooks';
import { ApiError, type Api } from '../lib/api.ts';
import type { contactMatchings} from '../lib/types.ts';
import { type SettingsAnswer, type SettingsChange, type XeroChoices } from '../lib/types.ts';
import { Field } from '../components/field.tsx';
import { Notice } from '../components/notice.tsx';

type TextKey = 'defaultRevenueAccountCode' | 'defaultTaxType' | 'emailWhitelistRegex' | 'bankAccountCode' | 'deferredRevenueAccountCode' | 'currencyCode';
type SelectKey = 'invoiceStatus' | 'amountType' | 'contactMatching';
type ToggleKey = 'autoSyncInvoices' | 'emailInvoices';
type Values = Record<TextKey | SelectKey, string> & Record<ToggleKey, boolean>;

const INVOICE_STATUSES = [
  ['DRAFT', 'Draft'],
  ['SUBMITTED', 'Awaiting Approval'],
  ['AUTHORISED', 'Authorised'],
] as const;
const AMOUNT_TYPES = [
  ['EXCLUSIVE', 'Tax exclusive'],
  ['INCLUSIVE', 'Tax inclusive'],
  ['NOTAX', 'No tax'],
] as const;
const MATCHING: Record<(typeof contactMatchings)[number], string> = {
  create_only: 'Always create a new Xero contact',
  email: 'Match an existing contact by email',
  email_then_name: 'Match by email, then by name',
};

function valuesOf(s: SettingsAnswer): Values {
  const own = s as SettingsAnswer & { contactMatching?: string | null };
  return {
    defaultRevenueAccountCode: s.defaultRevenueAccountCode ?? '',
    defaultTaxType: s.defaultTaxType ?? '',
    emailWhitelistRegex: s.emailWhitelistRegex ?? '',
    bankAccountCode: s.bankAccountCode ?? '',
    deferredRevenueAccountCode: s.deferredRevenueAccountCode ?? '',
    currencyCode: s.currencyCode ?? '',
    invoiceStatus: s.invoiceStatus ?? '',
    amountType: s.amountType ?? '',
    contactMatching: own.contactMatching ?? '',
    autoSyncInvoices: s.effective.autoSyncInvoices,
    emailInvoices: s.effective.emailInvoices,
  };
}

export function SettingsForm({ api, base, settings, choices, onSaved }: { api: Api; base: string; settings: SettingsAnswer; choices: XeroChoices | undefined; onSaved: (s: SettingsAnswer) => void }) {
  const initial = valuesOf(settings);
  const [values, setValues] = useState<Values>(initial);
  const [error, setError] = useState<ApiError | undefined>();
  const [saved, setSaved] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const hasMatching = 'contactMatching' in settings;
  const eff = settings.effective;
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues({ ...values, [key]: value });
  const fieldError = (key: string) => error?.field(`body.${key}`);

  const save = async (e: Event) => {
    e.preventDefault();
    const change: Record<string, unknown> = {};
    for (const key of Object.keys(values) as Array<keyof Values>) {
      if (values[key] === initial[key] || (key === 'contactMatching' && !hasMatching)) continue;
      change[key] = typeof values[key] === 'boolean' ? values[key] : (values[key] as string).trim() || null;
    }
    if (Object.keys(change).length === 0) return setSaved('Nothing changed.');
    setBusy(true);
    setError(undefined);
    setSaved(undefined);
    try {
      const answer = await api.send<SettingsAnswer & { checkedAgainstXero: boolean; notCheckedBecause?: string }>('PUT', `${base}/settings`, change as SettingsChange);
      setSaved(answer.checkedAgainstXero ? 'Saved, and checked against your Xero organisation.' : answer.notCheckedBecause ? `Saved, not checked (${answer.notCheckedBecause}).` : 'Saved.');
      setValues(valuesOf(answer));
      onSaved(answer);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'error', String(err)));
    } finally {
      setBusy(false);
    }
  };

  const text = (key: TextKey, label: string, hint: string, list?: string, fallback?: string) => (
    <Field id={`setting-${key}`} label={label} hint={hint} error={fieldError(key)}>
      {(aria) => <input {...aria} type="text" list={list} value={values[key]} placeholder={fallback ? `Default: ${fallback}` : 'Not set'} onInput={(e) => set(key, e.currentTarget.value)} autoComplete="off" />}
    </Field>
  );
  const select = (key: SelectKey | TextKey, label: string, options: ReadonlyArray<readonly [string, string]>, fallback: string, hint?: string) => (
    <Field id={`setting-${key}`} label={label} hint={hint} error={fieldError(key)}>
      {(aria) => (
        <select {...aria} value={values[key]} onChange={(e) => set(key, e.currentTarget.value)}>
          <option value="">Deployment default ({fallback})</option>
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  const toggle = (key: ToggleKey, label: string, hint: string) => (
    <div class={`field toggle${fieldError(key) ? ' invalid' : ''}`}>
      <input type="checkbox" id={`setting-${key}`} checked={values[key]} onChange={(e) => set(key, e.currentTarget.checked)} aria-describedby={`setting-${key}-hint`} />
      <label for={`setting-${key}`}>{label}</label>
      <p class="hint" id={`setting-${key}-hint`}>
        {hint}
        {settings[key] === null ? ' (currently the deployment default)' : ''}
      </p>
      {fieldError(key) && <p class="field-error">{fieldError(key)}</p>}
    </div>
  );
  const label = (pairs: ReadonlyArray<readonly [string, string]>, value: string | undefined) => pairs.find(([v]) => v === value)?.[1] ?? value ?? 'none';
  const currencies = choices?.currencies.enabled.map((c) => [c, c === choices.currencies.base ? `${c} (base currency)` : c] as const);

  return (
    <form class="settings" onSubmit={save} noValidate>
      <h3>Contacts</h3>
      {hasMatching ? (
        select('contactMatching', 'Contact matching', Object.entries(MATCHING), 'as configured', 'How a new member is matched to an existing Xero contact before one is created.')
      ) : (
        <p class="hint">Members are matched to existing Xero contacts by their platform id, then email, then name (this deployment's setting).</p>
      )}
      <h3>Invoices</h3>
      {select('invoiceStatus', 'Invoice status in Xero', INVOICE_STATUSES, label(INVOICE_STATUSES, eff.invoiceStatus))}
      {text('defaultRevenueAccountCode', 'Default revenue account', 'Used for lines whose service has no mapping below.', 'line-accounts', eff.defaultRevenueAccountCode)}
      {select('amountType', 'Amount type', AMOUNT_TYPES, label(AMOUNT_TYPES, eff.amountType))}
      {currencies
        ? select('currencyCode', 'Currency', currencies, eff.currencyCode ?? 'the base currency', 'Currencies enabled in your Xero organisation.')
        : text('currencyCode', 'Currency', 'An ISO 4217 code such as NZD, enabled in Xero.', undefined, eff.currencyCode ?? 'the base currency')}
      {text('defaultTaxType', 'Default tax rate', "Xero's tax type for lines without a tax mapping; empty: the account's default.", 'sales-tax-rates')}
      {toggle('autoSyncInvoices', 'Auto-sync invoices', 'Send new invoices to Xero as soon as they are raised (off: send each one by hand).')}
      {text('deferredRevenueAccountCode', 'Deferred revenue account', 'For revenue recognised later (unearned revenue).', 'line-accounts')}
      <h3>Emails</h3>
      {toggle('emailInvoices', 'Email invoices', 'Ask Xero to email each invoice to the contact (never for a Demo Company).')}
      {text('emailWhitelistRegex', 'Email whitelist', 'Only recipients matching this regular expression get emails, e.g. @example\\.org$ while testing.', undefined, eff.emailWhitelistRegex)}
      <h3>Payments</h3>
      {text('bankAccountCode', 'Bank account for receipts', 'Receipts taken in the platform are recorded in Xero against this account.', 'payment-accounts')}
      {error && !error.fields.length && <Notice tone="error" title="Not saved">{error.message}</Notice>}
      {error && error.fields.length > 0 && <Notice tone="error" title="Not saved">Fix the fields marked above.</Notice>}
      {saved && <Notice tone="success">{saved}</Notice>}
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? 'Saving\u2026' : 'Save settings'}
        </button>
      </div>
    </form>
  );
}

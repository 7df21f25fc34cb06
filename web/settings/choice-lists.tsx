import type { XeroChoices } from '../lib/types.ts';

/**
 * The Xero organisation's codes as datalists: a code field suggests them as the admin types, and still
 * accepts any code (which the API then checks against Xero, refusing a wrong one with the valid choices).
 */
export function ChoiceLists({ choices }: { choices: XeroChoices | undefined }) {
  if (!choices) return null;
  const option = (value: string, label: string) => <option key={value} value={value} label={`${value} \u2013 ${label}`} />;
  return (
    <div hidden>
      <datalist id="line-accounts">{choices.accounts.filter((a) => a.forLines).map((a) => option(a.code, `${a.name} (${a.type})`))}</datalist>
      <datalist id="payment-accounts">{choices.accounts.filter((a) => a.forPayments).map((a) => option(a.code, a.name))}</datalist>
      <datalist id="sales-tax-rates">{choices.taxRates.filter((t) => t.forSales).map((t) => option(t.taxType, t.name))}</datalist>
    </div>
  );
}

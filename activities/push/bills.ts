/**
 * Expenses as Xero bills (ACCPAY) in batches, from supplier contacts (an existing Xero contact with the
 * supplier's name is used; otherwise Xero creates it from the name) and mapped expense accounts. A service
 * without a mapped account fails with a clear hint: the deployment's default account is a revenue account
 * and Xero would refuse it on a bill anyway.
 */
import { Invoice, type Invoices, type LineItem } from 'xero-node';
import { getExpensesWithLines, type ExpenseWithLines } from '../../db/queries/expenses.ts';
import { loadEffectiveSettings, type EffectiveSettings } from '../../db/queries/settings.ts';
import { findIndexedCandidates } from '../../db/queries/xero-contact-index.ts';
import { getEnabledCurrencies } from '../../db/queries/xero-currencies.ts';
import { currencyProblem } from './currency-check.ts';
import { hintFor } from './hints.ts';
import { LINE_AMOUNT_TYPES } from './invoice-mapping.ts';
import { validationMessages, type PushStrategy } from './strategy.ts';
import { fromWire, toWire, wireElements } from '../../xero/wire.ts';
import { sendWire } from '../../xero/wire-call.ts';

interface LoadedBills {
  expenses: Map<string, ExpenseWithLines>;
  settings: EffectiveSettings;
  currencies?: string[];
  /** Lower-cased supplier name → the Xero contact of that name. */
  supplierIds: Map<string, string>;
}

export const billStrategy: PushStrategy<LoadedBills, Invoice, Invoice> = {
  recordType: 'expense',
  async load(deps, orgId, claims) {
    const [expenses, settings, currencies] = await Promise.all([
      getExpensesWithLines(deps.db, { orgId, expenseIds: claims.map((c) => c.recordId) }),
      loadEffectiveSettings(deps.db, { orgId, defaults: deps.settingsDefaults }),
      getEnabledCurrencies(deps.db, { orgId }),
    ]);
    const suppliers = await findIndexedCandidates(deps.db, { orgId, contactNumbers: [], emails: [], names: expenses.map((e) => e.supplierName.toLowerCase()) });
    return { expenses: new Map(expenses.map((e) => [e.id, e])), settings, currencies: currencies?.currencies, supplierIds: new Map(suppliers.map((s) => [s.nameLower, s.xeroContactId])) };
  },
  prepare(claim, { expenses, settings, currencies, supplierIds }) {
    const expense = expenses.get(claim.recordId);
    if (!expense) return { settled: { outcome: 'failed', error: 'The expense no longer exists in the platform.' } };
    const currency = currencyProblem(expense.currencyCode ?? settings.currencyCode, currencies, `bill ${billNumber(expense)}`);
    if (currency) return { settled: { outcome: 'failed', ...currency, hint: hintFor(currency.error) } };
    const unmapped = [...new Set(expense.lines.filter((l) => !l.serviceCode || !settings.serviceAccounts[l.serviceCode]).map((l) => l.serviceCode ?? '(none)'))];
    if (unmapped.length > 0) {
      return {
        settled: {
          outcome: 'failed',
          error: `No Xero expense account is mapped for service ${unmapped.join(', ')}.`,
          hint: `Map service ${unmapped[0]} to a Xero expense account in Settings > Integrations > Xero > Mappings.`,
        },
      };
    }
    const untaxed = [...new Set(expense.lines.filter((l) => l.taxCode && !settings.taxTypes[l.taxCode]).map((l) => l.taxCode!))];
    if (untaxed.length > 0) {
      return {
        settled: { outcome: 'failed', error: `No Xero tax type is mapped for platform tax code ${untaxed.join(', ')}.`, hint: `Map tax code ${untaxed[0]} to a Xero tax type in Mappings.` },
      };
    }
    return { element: toXeroBill(expense, claim.xeroId, supplierIds.get(expense.supplierName.toLowerCase()), settings) };
  },
  // Built and read in Xero's wire shape (xero/wire.ts), as sales invoices are.
  send: (api, tenantId, invoices, key) => sendWire(api, toWire({ invoices }, 'Invoices'), () => api.updateOrCreateInvoices(tenantId, { invoices: [] }, false, 4, key)),
  answered: (body) =>
    wireElements(body, 'Invoices').map((raw) => {
      const i = fromWire<Invoice>(raw, 'Invoice', ['invoiceID', 'validationErrors']);
      return { xeroId: i.invoiceID, errors: validationMessages(i), answer: i };
    }),
  lookup: {
    find: (api, tenantId, { claims, loaded }) =>
      api.getInvoices(tenantId, undefined, 'Type=="ACCPAY"', undefined, undefined, claims.map((c) => billNumber(loaded.expenses.get(c.recordId))).filter((n): n is string => !!n)),
    match(body, { claims, loaded }) {
      const adopted = new Map<string, string>();
      for (const claim of claims) {
        const expense = loaded.expenses.get(claim.recordId);
        if (!expense) continue;
        const supplierId = loaded.supplierIds.get(expense.supplierName.toLowerCase());
        // Bill numbers are unique per supplier only: the same number from the same supplier is ours.
        const existing = ((body as Invoices).invoices ?? []).find(
          (i) =>
            i.invoiceNumber === billNumber(expense) &&
            i.status !== Invoice.StatusEnum.DELETED &&
            (supplierId ? i.contact?.contactID === supplierId : i.contact?.name?.toLowerCase() === expense.supplierName.toLowerCase()),
        );
        if (existing?.invoiceID) adopted.set(claim.recordId, existing.invoiceID);
      }
      return adopted;
    },
  },
};

/** The bill's number: the supplier's reference when given, else ours; it is how a retry finds the bill. */
const billNumber = (expense: ExpenseWithLines | undefined) => expense && (expense.reference ?? `EXP-${expense.id}`);

function toXeroBill(expense: ExpenseWithLines, xeroId: string | null, supplierXeroId: string | undefined, settings: EffectiveSettings): Invoice {
  const currency = expense.currencyCode ?? settings.currencyCode;
  return {
    ...(xeroId ? { invoiceID: xeroId } : {}),
    type: Invoice.TypeEnum.ACCPAY,
    contact: supplierXeroId ? { contactID: supplierXeroId } : { name: expense.supplierName, emailAddress: expense.supplierEmail ?? undefined },
    invoiceNumber: billNumber(expense),
    date: expense.date,
    dueDate: expense.dueDate ?? expense.date,
    ...(currency ? { currencyCode: currency as never } : {}),
    status: settings.invoiceStatus as unknown as Invoice.StatusEnum,
    lineAmountTypes: LINE_AMOUNT_TYPES[settings.amountType],
    lineItems: expense.lines.map(
      (line): LineItem => ({
        description: line.description,
        quantity: Number(line.quantity),
        unitAmount: Number(line.unitAmount),
        accountCode: settings.serviceAccounts[line.serviceCode!],
        ...(line.taxCode ? { taxType: settings.taxTypes[line.taxCode] } : {}),
      }),
    ),
  };
}

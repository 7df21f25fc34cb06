/**
 * One month's recognition journal, worked out from what each deferred line should have had recognised by the
 * end of the month and what earlier journals already moved for it. Posting the difference (never a month's
 * share on its own) makes a missed month, a backdated invoice, an edited line and a void all the same case.
 *
 * The double entry, for one deferred line of net amount N (base currency) earning E by the end of a month:
 *
 *   invoice approved in Xero   Dr Accounts Receivable  /  Cr Deferred revenue N  (and Cr GST: untouched here)
 *   journals up to the month   Dr Deferred revenue E   /  Cr Revenue E
 *   => deferred revenue for the line = N - E = what is not yet earned; revenue = E.
 *
 * A void in Xero reverses the invoice's own lines, so Xero takes the whole N back out of deferred revenue:
 * deferred = N - E - N = -E. Of that N, only N - E was still unearned; the E the journals had already moved
 * to revenue belongs to a sale that no longer exists. So the line's recognisable share becomes nothing, its
 * target 0, and the next journal posts -E: Dr Revenue E / Cr Deferred revenue E. Afterwards deferred = 0 and
 * revenue = 0 for the invoice, as for any voided invoice in Xero, and nothing more is recognised.
 *
 * A credit note allocated to the invoice, coded like the invoice's lines (to the deferred account), takes
 * the credited share f of N out of deferred revenue. The line then keeps the share r = 1 - f: its target
 * becomes r x E, the next journal moves f x E back from revenue, and deferred = N - fN - rE = r(N - E): the
 * unearned part reduced in proportion, and so is what is earned from then on.
 *
 * A line no longer deferred (its invoice edited off the deferred account, or the line removed) has target 0
 * on the accounts it was recognised between: what was moved is moved back, since the invoice itself now
 * credits revenue (or nothing) instead. An invoice not approved in Xero (draft, submitted, deleted) has posted
 * nothing to the ledger, so nothing of it is recognised until it is; neither is anything before the invoice's
 * own date, when Xero first credits deferred revenue.
 *
 * Pure: unit-tested without a database.
 */
import { periodEnd } from '../../lib/revenue-periods.ts';
import { NOTHING, periodShares, recognisedThrough, toCents, type RecognisableShare } from '../../lib/revenue-schedule.ts';

/** Xero's invoice statuses that are on the ledger. */
const ON_THE_LEDGER = new Set(['AUTHORISED', 'PAID']);

export interface DeferredLineState {
  invoiceId: string;
  lineNo: number;
  deferredAccountCode: string;
  revenueAccountCode: string;
  serviceStart: string;
  serviceEnd: string;
  /** Net of tax, in the invoice's currency (numeric text). */
  netAmount: string;
  currencyRate: string;
  invoiceDate: string;
  /** The invoice's status as last seen in Xero. */
  xeroStatus: string | null;
  /** What is left to recognise after credit notes (absent: the whole invoice). */
  credited?: RecognisableShare;
}

/** What one line has had moved between two accounts so far (base-currency numeric text). */
export interface PostedSoFar {
  invoiceId: string;
  lineNo: number;
  deferredAccountCode: string;
  revenueAccountCode: string;
  amount: string;
}

export interface JournalLineAmount {
  invoiceId: string;
  lineNo: number;
  deferredAccountCode: string;
  revenueAccountCode: string;
  /** Base-currency cents moved from deferred to revenue this month (negative: moved back). */
  cents: bigint;
}

const keyOf = (l: { invoiceId: string; lineNo: number; deferredAccountCode: string; revenueAccountCode: string }) =>
  JSON.stringify([l.invoiceId, l.lineNo, l.deferredAccountCode, l.revenueAccountCode]);

/** The invoice's share still to be recognised by the end of `period`. */
export function recognisableShare(line: DeferredLineState, period: string): RecognisableShare {
  if (!ON_THE_LEDGER.has(line.xeroStatus ?? '') || line.invoiceDate > periodEnd(period)) return NOTHING;
  return line.credited ?? { kept: 1n, of: 1n };
}

/** What each line should have had recognised by the end of `period`, in base-currency cents. */
export function targetsThrough(lines: DeferredLineState[], period: string): Map<string, { line: DeferredLineState; cents: bigint }> {
  const targets = new Map<string, { line: DeferredLineState; cents: bigint }>();
  for (const line of lines) {
    const shares = periodShares({ netCents: toCents(line.netAmount), currencyRate: line.currencyRate, serviceStart: line.serviceStart, serviceEnd: line.serviceEnd });
    targets.set(keyOf(line), { line, cents: recognisedThrough(shares, period, recognisableShare(line, period)) });
  }
  return targets;
}

/** The month's movements, line by line: target minus what earlier months moved; zero movements left out. */
export function planJournal({ period, lines, posted }: { period: string; lines: DeferredLineState[]; posted: PostedSoFar[] }): JournalLineAmount[] {
  const targets = targetsThrough(lines, period);
  const moved = new Map<string, { pair: PostedSoFar; cents: bigint }>();
  for (const p of posted) {
    const k = keyOf(p);
    moved.set(k, { pair: p, cents: (moved.get(k)?.cents ?? 0n) + toCents(p.amount) });
  }
  const plan: JournalLineAmount[] = [];
  for (const k of new Set([...targets.keys(), ...moved.keys()])) {
    const pair = targets.get(k)?.line ?? moved.get(k)!.pair;
    const cents = (targets.get(k)?.cents ?? 0n) - (moved.get(k)?.cents ?? 0n);
    if (cents !== 0n) {
      plan.push({ invoiceId: pair.invoiceId, lineNo: pair.lineNo, deferredAccountCode: pair.deferredAccountCode, revenueAccountCode: pair.revenueAccountCode, cents });
    }
  }
  return plan.sort((a, b) => (a.invoiceId === b.invoiceId ? a.lineNo - b.lineNo : a.invoiceId < b.invoiceId ? -1 : 1));
}

/** One Manual Journal line: positive debits, negative credits (Xero's convention). */
export interface AccountMovement {
  accountCode: string;
  cents: bigint;
}

/**
 * The journal's lines in Xero: per deferred account a debit of what leaves it, per revenue account a credit
 * of what it earns (signs flip for a net reversal); accounts that net to zero are left out. Balanced by
 * construction; fewer than two lines means the month moves nothing in Xero.
 */
export function accountMovements(plan: JournalLineAmount[]): AccountMovement[] {
  const deferred = new Map<string, bigint>();
  const revenue = new Map<string, bigint>();
  for (const l of plan) {
    deferred.set(l.deferredAccountCode, (deferred.get(l.deferredAccountCode) ?? 0n) + l.cents);
    revenue.set(l.revenueAccountCode, (revenue.get(l.revenueAccountCode) ?? 0n) - l.cents);
  }
  // An account on both sides (odd, but a setting can name it) nets to one line.
  const byAccount = new Map<string, bigint>();
  for (const [code, cents] of [...deferred, ...revenue]) byAccount.set(code, (byAccount.get(code) ?? 0n) + cents);
  const sorted = (m: Map<string, bigint>) => [...m.keys()].sort();
  const order = [...new Set([...sorted(deferred), ...sorted(revenue)])];
  return order.map((accountCode) => ({ accountCode, cents: byAccount.get(accountCode)! })).filter((m) => m.cents !== 0n);
}

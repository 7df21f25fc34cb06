/** The currencies each organisation's Xero is known to be subscribed to (see db/schema/xero-currencies.ts). */
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { xeroCurrencies } from '../schema/index.ts';

/** Xero's list is read again at most this often by the workflow. */
export const CURRENCIES_FRESH_FOR = sql`interval '1 day'`;

export interface EnabledCurrencies {
  baseCurrency: string | null;
  /** Base currency included. */
  currencies: string[];
  readAt: Date;
}

/** What was just read from Xero; a base currency not read this time keeps the one known. */
export async function recordEnabledCurrencies(db: DbOrTx, { orgId, baseCurrency, currencies }: { orgId: string; baseCurrency?: string; currencies: string[] }): Promise<void> {
  const list = [...new Set([...(baseCurrency ? [baseCurrency] : []), ...currencies].map((c) => c.toUpperCase()))].sort();
  await db
    .insert(xeroCurrencies)
    .values({ orgId, baseCurrency: baseCurrency ?? null, currencies: list, readAt: sql`now()` })
    .onConflictDoUpdate({
      target: xeroCurrencies.orgId,
      set: { baseCurrency: baseCurrency ? baseCurrency : sql`${xeroCurrencies.baseCurrency}`, currencies: list, readAt: sql`now()` },
    });
}

export async function getEnabledCurrencies(db: DbOrTx, { orgId }: { orgId: string }): Promise<EnabledCurrencies | undefined> {
  const [row] = await db.select().from(xeroCurrencies).where(eq(xeroCurrencies.orgId, orgId));
  return enabledCurrenciesOf(row);
}

/** The stored list as the push reads it (base currency included). */
export function enabledCurrenciesOf(row: typeof xeroCurrencies.$inferSelect | undefined): EnabledCurrencies | undefined {
  if (!row) return undefined;
  return { baseCurrency: row.baseCurrency, currencies: [...new Set([...(row.baseCurrency ? [row.baseCurrency] : []), ...row.currencies])], readAt: row.readAt };
}

/**
 * Whether the workflow should read Xero's currencies before pushing: a pending invoice or bill carries a
 * currency of its own that is not known to be enabled, and the list was not read within the day.
 */
export async function currencyCheckDue(db: DbOrTx, { orgId }: { orgId: string }): Promise<boolean> {
  const [row] = await db.execute<{ due: boolean }>(sql`
    select (c.org_id is null or c.read_at < now() - ${CURRENCIES_FRESH_FOR}) and exists (
      select 1 from sync_state s join invoices i on i.org_id = s.org_id and i.id = s.record_id
      where s.org_id = o.id and s.record_type = 'invoice' and s.state = 'pending' and i.currency_code is not null
        and not (i.currency_code = any(coalesce(c.currencies, '{}'::text[])))
      union all
      select 1 from sync_state s join expenses e on e.org_id = s.org_id and e.id = s.record_id
      where s.org_id = o.id and s.record_type = 'expense' and s.state = 'pending' and e.currency_code is not null
        and not (e.currency_code = any(coalesce(c.currencies, '{}'::text[])))
    ) as due
    from (select ${orgId}::text as id) o left join xero_currencies c on c.org_id = o.id`);
  return row?.due === true;
}

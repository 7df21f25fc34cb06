import type { DbOrTx } from '../../../../db/client.ts';
import { recordEnabledCurrencies } from '../../../../db/queries/xero-currencies.ts';
import type { XeroReader } from '../../../../xero/reads.ts';

/**
 * Keeps the currencies an admin's check read from Xero (no call of its own), so the sync can refuse an
 * invoice in a currency the organisation's Xero is not subscribed to before sending it.
 */
export async function rememberCurrencies(db: DbOrTx, orgId: string, reader: XeroReader): Promise<void> {
  const { baseCurrency, currencies } = reader.alreadyRead();
  if (currencies) await recordEnabledCurrencies(db, { orgId, baseCurrency, currencies });
}

/**
 * What a batch of documents needs to know of its organisation, in ONE statement (it runs for every batch):
 * the settings over the deployment's defaults with the mappings, the currencies Xero is known to be
 * subscribed to, and the organisation's copy of its Xero lists (tracking categories, branding themes).
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { orgMappings, orgSettings, xeroCatalogues, xeroCurrencies, type XeroCatalogueKind } from '../schema/index.ts';
import { effectiveSettings, type EffectiveSettings, type SettingsDefaults } from './settings.ts';
import { jsonRowOf, rowOf } from './table-rows.ts';
import { catalogueCopyOf, type XeroCatalogueCopy } from './xero-catalogues.ts';
import { enabledCurrenciesOf, type EnabledCurrencies } from './xero-currencies.ts';

export interface PushContext {
  settings: EffectiveSettings;
  /** Undefined: Xero's currencies were never read. */
  currencies?: EnabledCurrencies;
  catalogues: XeroCatalogueCopy;
}

type JsonRow = Record<string, unknown>;

export async function loadPushContext(
  db: DbOrTx,
  { orgId, defaults, catalogues = [] }: { orgId: string; defaults: SettingsDefaults; catalogues?: XeroCatalogueKind[] },
): Promise<PushContext> {
  const kinds = catalogues.length > 0 ? sql`k.kind in ${catalogues}` : sql`false`;
  const [row] = await db.execute<{ settings: JsonRow | null; mappings: JsonRow[]; currencies: JsonRow | null; catalogues: JsonRow[] }>(sql`
    select
      (select ${jsonRowOf(orgSettings, 's')} from org_settings s where s.org_id = ${orgId}) as settings,
      coalesce((select json_agg(${jsonRowOf(orgMappings, 'm')}) from org_mappings m where m.org_id = ${orgId}), '[]') as mappings,
      (select ${jsonRowOf(xeroCurrencies, 'c')} from xero_currencies c where c.org_id = ${orgId}) as currencies,
      coalesce((select json_agg(${jsonRowOf(xeroCatalogues, 'k')}) from xero_catalogues k where k.org_id = ${orgId} and ${kinds}), '[]') as catalogues`);
  return {
    settings: effectiveSettings(row!.settings ? rowOf(orgSettings, row!.settings) : undefined, row!.mappings.map((m) => rowOf(orgMappings, m)), defaults),
    currencies: enabledCurrenciesOf(row!.currencies ? rowOf(xeroCurrencies, row!.currencies) : undefined),
    catalogues: catalogueCopyOf(row!.catalogues.map((k) => rowOf(xeroCatalogues, k))),
  };
}

/**
 * The names an invoice or credit note carries (line tracking, its own branding theme), resolved for a batch
 * against the organisation's copy of its Xero lists. A copy older than an hour counts as unknown for a
 * document that needs it, so an option archived in Xero meanwhile is caught by a fresh read rather than
 * silently dropped by Xero; once the workflow has refreshed the lists for the batch, whatever is known
 * decides.
 */
import type { DbOrTx } from '../../db/client.ts';
import type { EffectiveSettings } from '../../db/queries/settings.ts';
import { getXeroCatalogues, type XeroCatalogueCopy } from '../../db/queries/xero-catalogues.ts';
import type { LineTracking, XeroCatalogueKind } from '../../db/schema/index.ts';
import { resolveBrandingTheme, resolveTracking } from './catalogue-checks.ts';
import type { LineProblem } from './document-lines.ts';
import type { ResolvedNames } from './invoice-mapping.ts';
import type { LoadOptions } from './strategy.ts';

export const CATALOGUE_MAX_AGE_MS = 60 * 60_000;

export interface NameContext {
  catalogues: XeroCatalogueCopy;
  /** After the workflow's refresh: unknown names are errors. */
  final: boolean;
  loadedAt: number;
}

/** The lists a document's names are resolved against. */
export const NAMED_CATALOGUES: XeroCatalogueKind[] = ['tracking_categories', 'branding_themes'];

export async function loadNameContext(db: DbOrTx, orgId: string, options: LoadOptions): Promise<NameContext> {
  return nameContextOf(await getXeroCatalogues(db, { orgId, kinds: NAMED_CATALOGUES }), options);
}

/** The context of catalogues read already (with the rest of the batch's context, push-context.ts). */
export function nameContextOf(catalogues: XeroCatalogueCopy, options: LoadOptions): NameContext {
  return { catalogues, final: options.catalogueRefreshed, loadedAt: Date.now() };
}

function usable<T>(context: NameContext, kind: XeroCatalogueKind, entries: T | undefined): T | undefined {
  if (context.final) return entries;
  const fetchedAt = context.catalogues.fetchedAt[kind];
  return fetchedAt && context.loadedAt - fetchedAt.getTime() <= CATALOGUE_MAX_AGE_MS ? entries : undefined;
}

export type ResolvedDocument = { names: ResolvedNames } | { missing: XeroCatalogueKind } | { problem: LineProblem };

export function resolveDocumentNames(
  document: { brandingTheme: string | null; lines: Array<{ tracking?: LineTracking | null }> },
  settings: EffectiveSettings,
  context: NameContext,
): ResolvedDocument {
  const { catalogues, final } = context;
  const tracking = resolveTracking(document.lines, settings.trackingCategories, usable(context, 'tracking_categories', catalogues.trackingCategories), final);
  if (!('ok' in tracking)) return tracking;
  const theme = resolveBrandingTheme(document.brandingTheme, usable(context, 'branding_themes', catalogues.brandingThemes), final);
  if (!('ok' in theme)) return theme;
  return { names: { tracking: tracking.ok, brandingThemeId: theme.ok } };
}

/**
 * Names a document carries (tracking options, a branding theme) checked against the organisation's Xero
 * lists before any push call. Xero silently drops a tracking option it does not know (the line is saved
 * untracked), so an unknown one must fail here, loudly. What the copy of the list does not know is first
 * a `missing` (the push asks for a paced refresh of the list, then tries again); after that refresh
 * (`final`) it is an error on the record. Pure: unit-tested without Xero.
 */
import type { LineItemTracking } from 'xero-node';
import type { CataloguedBrandingTheme, CataloguedTrackingCategory, LineTracking, XeroCatalogueKind } from '../../db/schema/index.ts';
import type { LineProblem } from './document-lines.ts';

export type Checked<T> = { ok: T } | { missing: XeroCatalogueKind } | { problem: LineProblem };

const MAX_LISTED = 20;
const listed = (names: string[]) => (names.length === 0 ? 'none' : names.slice(0, MAX_LISTED).join(', ') + (names.length > MAX_LISTED ? ` and ${names.length - MAX_LISTED} more` : ''));
const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
const MAPPINGS = 'Settings > Integrations > Xero > Mappings';

/**
 * Each line's tracking (platform dimension → option) as Xero tracking (category and option names exactly as
 * Xero spells them), through the organisation's mapping of dimensions to categories.
 */
export function resolveTracking(
  lines: Array<{ tracking?: LineTracking | null }>,
  mapping: Record<string, string>,
  categories: CataloguedTrackingCategory[] | undefined,
  final: boolean,
): Checked<Array<LineItemTracking[] | undefined>> {
  const resolved: Array<LineItemTracking[] | undefined> = [];
  for (const line of lines) {
    const entries = Object.entries(line.tracking ?? {});
    if (entries.length === 0) {
      resolved.push(undefined);
      continue;
    }
    const tracking: LineItemTracking[] = [];
    for (const [dimension, option] of entries) {
      const categoryName = mapping[dimension];
      if (!categoryName) {
        return {
          problem: {
            error: `No Xero tracking category is mapped for platform dimension '${dimension}'.`,
            hint: `Map dimension '${dimension}' to one of the organisation's Xero tracking categories (trackingCategories in ${MAPPINGS}).`,
          },
        };
      }
      const category = categories?.find((c) => same(c.name, categoryName));
      const known = category?.options.find((o) => same(o.name, option));
      if (category && known) {
        tracking.push({ name: category.name, option: known.name });
        continue;
      }
      if (!final) return { missing: 'tracking_categories' };
      if (!categories) {
        return {
          problem: {
            error: `Xero's tracking categories could not be read, so tracking option '${option}' could not be checked.`,
            hint: 'Check that the connection may read settings (scope accounting.settings.read; Test connection says), then retry the record.',
          },
        };
      }
      if (!category) {
        return {
          problem: {
            error: `Xero's tracking category '${categoryName}' (mapped from dimension '${dimension}') is not an active tracking category of the organisation.`,
            hint: `Map '${dimension}' to an active category (${listed((categories ?? []).map((c) => c.name))}) in ${MAPPINGS}, or reactivate '${categoryName}' in Xero.`,
          },
        };
      }
      return {
        problem: {
          error: `Tracking option '${option}' is not an active option of Xero's category '${category.name}'.`,
          hint: `Add (or reactivate) the option '${option}' in Xero (Settings > Tracking categories > ${category.name}), or send one of: ${listed(category.options.map((o) => o.name))}.`,
        },
      };
    }
    resolved.push(tracking);
  }
  return { ok: resolved };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A document's own branding theme (a theme's name or id) as Xero's BrandingThemeID; none asked: undefined. */
export function resolveBrandingTheme(wanted: string | null | undefined, themes: CataloguedBrandingTheme[] | undefined, final: boolean): Checked<string | undefined> {
  if (!wanted) return { ok: undefined };
  const theme = themes?.find((t) => (GUID.test(wanted) ? t.id.toLowerCase() === wanted.toLowerCase() : same(t.name, wanted)));
  if (theme) return { ok: theme.id };
  if (!final) return { missing: 'branding_themes' };
  if (!themes) {
    return {
      problem: {
        error: `Xero's branding themes could not be read, so branding theme '${wanted}' could not be checked.`,
        hint: 'Check that the connection may read settings (scope accounting.settings.read; Test connection says), then retry the record.',
      },
    };
  }
  return {
    problem: {
      error: `Branding theme '${wanted}' is not one of the organisation's branding themes in Xero.`,
      hint: `Use one of: ${listed((themes ?? []).map((t) => t.name))} (by name or id), or leave brandingTheme out to use the organisation's theme.`,
    },
  };
}

/**
 * Tracking categories ("Region", "Chapter"...) and the tracking on document and journal lines.
 *
 * An organisation has at most two ACTIVE categories. A line's tracking names a category and one of its options,
 * by name (`Name`/`Option`) or by id (`TrackingCategoryID`/`TrackingOptionID`). Xero keeps it only when both are
 * known and active; anything else is dropped without a validation error and the line is saved untracked, so
 * catching a wrong option is the caller's job.
 */
import { randomUUID } from 'node:crypto';
import { guid, text, type Json } from './fields.ts';
import type { Books, LineTracking, TrackingCategory, TrackingStatus } from './records.ts';
import type { FieldMap } from './where.ts';

export const MAX_ACTIVE_CATEGORIES = 2;

export interface TrackingCategorySeed {
  Name: string;
  Status?: TrackingStatus;
  /** Option names, or options with a status. */
  Options?: Array<string | { Name: string; Status?: TrackingStatus }>;
}

export function defaultTrackingCategories(): TrackingCategorySeed[] {
  return [
    { Name: 'Region', Options: ['North', 'Central', 'South', { Name: 'Overseas', Status: 'ARCHIVED' }] },
    { Name: 'Chapter', Options: ['Auckland', 'Wellington', 'Christchurch'] },
    // Archived: listed only with includeArchived=true, and never kept on a line.
    { Name: 'Campaign 2025', Status: 'ARCHIVED', Options: ['Spring appeal'] },
  ];
}

function checkStatus(value: unknown, what: string): TrackingStatus {
  const status = (value ?? 'ACTIVE') as TrackingStatus;
  if (!['ACTIVE', 'ARCHIVED', 'DELETED'].includes(status)) throw new Error(`${what}: Status is ACTIVE, ARCHIVED or DELETED`);
  return status;
}

/**
 * Applies a seed over an existing category (same name) or as a new one. Options keep their ids when their name
 * is kept; options left out are marked DELETED, so lines that carry them still name them.
 */
export function buildTrackingCategory(seed: TrackingCategorySeed, existing?: TrackingCategory): TrackingCategory {
  if (!seed || typeof seed.Name !== 'string' || seed.Name.trim() === '') throw new Error('a tracking category needs a Name');
  if (seed.Name.length > 100) throw new Error(`tracking category ${seed.Name}: Name must not exceed 100 characters`);
  const options = (seed.Options ?? []).map((o) => (typeof o === 'string' ? { Name: o } : o));
  const names = new Set<string>();
  const kept = options.map((o) => {
    if (!o || typeof o.Name !== 'string' || o.Name.trim() === '' || o.Name.length > 100) throw new Error(`tracking category ${seed.Name}: each option needs a Name of at most 100 characters`);
    if (names.has(o.Name.toLowerCase())) throw new Error(`tracking category ${seed.Name}: option ${o.Name} is listed twice`);
    names.add(o.Name.toLowerCase());
    const previous = existing?.Options.find((p) => p.Name.toLowerCase() === o.Name.toLowerCase());
    return { TrackingOptionID: previous?.TrackingOptionID ?? randomUUID(), Name: o.Name, Status: checkStatus(o.Status, `option ${o.Name}`) };
  });
  const dropped = (existing?.Options ?? []).filter((p) => !names.has(p.Name.toLowerCase())).map((p) => ({ ...p, Status: 'DELETED' as const }));
  return {
    TrackingCategoryID: existing?.TrackingCategoryID ?? randomUUID(),
    Name: seed.Name,
    Status: checkStatus(seed.Status, `tracking category ${seed.Name}`),
    Options: [...kept, ...dropped],
  };
}

/** Throws when a set of categories breaks Xero's rules (names unique, at most two active). */
export function checkTrackingCategories(categories: TrackingCategory[]): void {
  const live = categories.filter((c) => c.Status !== 'DELETED');
  const names = live.map((c) => c.Name.toLowerCase());
  if (new Set(names).size !== names.length) throw new Error('tracking category names must be unique');
  if (live.filter((c) => c.Status === 'ACTIVE').length > MAX_ACTIVE_CATEGORIES) {
    throw new Error(`an organisation can have at most ${MAX_ACTIVE_CATEGORIES} active tracking categories`);
  }
}

export function seedTrackingCategories(seeds: TrackingCategorySeed[]): TrackingCategory[] {
  const categories = seeds.map((seed) => buildTrackingCategory(seed));
  checkTrackingCategories(categories);
  return categories;
}

/**
 * The tracking a line keeps. Names match exactly (case included): a guess on the strict side, so a near-miss
 * is dropped here as it may be in Xero. One option per category; with two active categories, at most two entries.
 */
export function resolveTracking(books: Books, inputs: Json[] | undefined): LineTracking[] {
  const kept: LineTracking[] = [];
  for (const input of inputs ?? []) {
    const categoryId = guid(input, 'TrackingCategoryID');
    const optionId = guid(input, 'TrackingOptionID');
    const name = text(input, 'Name');
    const optionName = text(input, 'Option');
    const category = categoryId
      ? books.trackingCategories.find((c) => c.TrackingCategoryID === categoryId)
      : books.trackingCategories.find((c) => c.Status !== 'DELETED' && c.Name === name);
    if (!category || category.Status !== 'ACTIVE') continue;
    const option = optionId ? category.Options.find((o) => o.TrackingOptionID === optionId) : category.Options.find((o) => o.Status !== 'DELETED' && o.Name === optionName);
    if (!option || option.Status !== 'ACTIVE') continue;
    if (kept.some((k) => k.TrackingCategoryID === category.TrackingCategoryID)) continue;
    kept.push({ TrackingCategoryID: category.TrackingCategoryID, TrackingOptionID: option.TrackingOptionID, Name: category.Name, Option: option.Name });
  }
  return kept;
}

export function renderLineTracking(t: LineTracking): Record<string, unknown> {
  return { Name: t.Name, Option: t.Option, TrackingCategoryID: t.TrackingCategoryID, TrackingOptionID: t.TrackingOptionID };
}

/** GET /TrackingCategories shows archived categories and options only when asked; deleted ones never. */
export function renderTrackingCategory(c: TrackingCategory, includeArchived: boolean): Record<string, unknown> {
  const shown = (s: TrackingStatus) => s === 'ACTIVE' || (includeArchived && s === 'ARCHIVED');
  return {
    Name: c.Name,
    Status: c.Status,
    TrackingCategoryID: c.TrackingCategoryID,
    Options: c.Options.filter((o) => shown(o.Status)).map((o) => ({ TrackingOptionID: o.TrackingOptionID, Name: o.Name, Status: o.Status })),
  };
}

export const TRACKING_CATEGORY_FIELDS: FieldMap<TrackingCategory> = {
  trackingcategoryid: (c) => c.TrackingCategoryID,
  name: (c) => c.Name,
  status: (c) => c.Status,
};

/**
 * Branding themes: how Xero lays out an invoice or credit note. Each organisation has at least its default theme
 * (SortOrder 0), which a document without a BrandingThemeID gets; naming a theme the organisation does not have is
 * a validation error.
 */
import { randomUUID } from 'node:crypto';
import { msDate } from '../xero-dates.ts';
import { guid, has, type Json } from './fields.ts';
import type { Books, BrandingTheme } from './records.ts';

export const BRANDING_THEME_NOT_FOUND = 'The BrandingThemeID provided is not valid for this organisation.';

export interface BrandingThemeSeed {
  Name: string;
  SortOrder?: number;
  LogoUrl?: string;
}

export function defaultBrandingThemes(): BrandingThemeSeed[] {
  return [{ Name: 'Standard', SortOrder: 0 }, { Name: 'Special projects', SortOrder: 1 }];
}

export function seedBrandingThemes(seeds: BrandingThemeSeed[], now: number): BrandingTheme[] {
  if (!Array.isArray(seeds) || seeds.length === 0) throw new Error('an organisation needs at least one branding theme');
  return seeds.map((seed, i) => {
    if (!seed || typeof seed.Name !== 'string' || seed.Name.trim() === '') throw new Error('a branding theme needs a Name');
    const sortOrder = seed.SortOrder ?? i;
    if (!Number.isInteger(sortOrder) || sortOrder < 0) throw new Error(`branding theme ${seed.Name}: SortOrder must be a non-negative integer`);
    return { BrandingThemeID: randomUUID(), Name: seed.Name, LogoUrl: seed.LogoUrl, SortOrder: sortOrder, createdAt: now };
  }).sort((a, b) => a.SortOrder - b.SortOrder);
}

/** The theme an element asks for; unchanged (`current`) or the default when it names none. */
export function documentBrandingTheme(books: Books, input: Json, errors: string[], current?: string): string | undefined {
  if (!has(input, 'BrandingThemeID')) return current ?? books.brandingThemes[0]?.BrandingThemeID;
  const id = guid(input, 'BrandingThemeID');
  if (id === undefined) return books.brandingThemes[0]?.BrandingThemeID;
  if (!books.brandingThemes.some((t) => t.BrandingThemeID === id)) errors.push(BRANDING_THEME_NOT_FOUND);
  return id;
}

export function renderBrandingTheme(t: BrandingTheme): Record<string, unknown> {
  const shown: Record<string, unknown> = { BrandingThemeID: t.BrandingThemeID, Name: t.Name };
  if (t.LogoUrl) shown['LogoUrl'] = t.LogoUrl;
  return { ...shown, Type: 'INVOICE', SortOrder: t.SortOrder, CreatedDateUTC: msDate(t.createdAt) };
}

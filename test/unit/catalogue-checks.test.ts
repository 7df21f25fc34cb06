/**
 * Names on lines and documents checked against the organisation's Xero lists before any push: tracking
 * options (Xero drops an unknown one silently) and branding themes. Unknown to our copy first means "read
 * the list again"; after that read, an error on the record that says what to do.
 */
import { describe, expect, it } from 'vitest';
import { resolveBrandingTheme, resolveTracking } from '../../activities/push/catalogue-checks.ts';
import { CATALOGUE_MAX_AGE_MS, resolveDocumentNames, type NameContext } from '../../activities/push/document-names.ts';
import type { EffectiveSettings } from '../../db/queries/settings.ts';

const categories = [
  { id: 'c-region', name: 'Region', options: [{ id: 'o-north', name: 'North' }, { id: 'o-south', name: 'South' }] },
  { id: 'c-chapter', name: 'Chapter', options: [{ id: 'o-akl', name: 'Auckland' }, { id: 'o-wlg', name: 'Wellington' }] },
];
const mapping = { chapter: 'Chapter', region: 'region' };
const themes = [{ id: '1b2c3d4e-0000-4000-8000-000000000001', name: 'Standard' }, { id: '1b2c3d4e-0000-4000-8000-000000000002', name: 'Special projects' }];

describe('resolveTracking', () => {
  it("gives each line Xero's own spelling of its categories and options, and nothing for untracked lines", () => {
    expect(resolveTracking([{ tracking: { chapter: 'auckland', region: 'NORTH' } }, { tracking: null }, {}], mapping, categories, false)).toEqual({
      ok: [[{ name: 'Chapter', option: 'Auckland' }, { name: 'Region', option: 'North' }], undefined, undefined],
    });
  });

  it('asks for the list again when our copy does not know an option or category, or has none', () => {
    expect(resolveTracking([{ tracking: { chapter: 'Dunedin' } }], mapping, categories, false)).toEqual({ missing: 'tracking_categories' });
    expect(resolveTracking([{ tracking: { chapter: 'Auckland' } }], mapping, undefined, false)).toEqual({ missing: 'tracking_categories' });
  });

  it('fails loudly once the list was read again, naming the option, the category and the choices', () => {
    expect(resolveTracking([{ tracking: { chapter: 'Dunedin' } }], mapping, categories, true)).toEqual({
      problem: {
        error: "Tracking option 'Dunedin' is not an active option of Xero's category 'Chapter'.",
        hint: "Add (or reactivate) the option 'Dunedin' in Xero (Settings > Tracking categories > Chapter), or send one of: Auckland, Wellington.",
      },
    });
    expect(resolveTracking([{ tracking: { chapter: 'Auckland' } }], { chapter: 'Branch' }, categories, true)).toMatchObject({
      problem: { error: "Xero's tracking category 'Branch' (mapped from dimension 'chapter') is not an active tracking category of the organisation." },
    });
    expect(resolveTracking([{ tracking: { chapter: 'Auckland' } }], mapping, undefined, true)).toMatchObject({ problem: { error: expect.stringMatching(/could not be read/) } });
  });

  it('fails an unmapped dimension at once: no read of Xero would help', () => {
    expect(resolveTracking([{ tracking: { branch: 'Ponsonby' } }], mapping, categories, false)).toMatchObject({ problem: { error: "No Xero tracking category is mapped for platform dimension 'branch'." } });
  });
});

describe('resolveBrandingTheme', () => {
  it('finds a theme by name (any case) or by id, and asks for nothing when none is named', () => {
    expect(resolveBrandingTheme('special PROJECTS', themes, false)).toEqual({ ok: themes[1]!.id });
    expect(resolveBrandingTheme(themes[0]!.id.toUpperCase(), themes, false)).toEqual({ ok: themes[0]!.id });
    expect(resolveBrandingTheme(null, undefined, false)).toEqual({ ok: undefined });
  });

  it('reads the themes again before refusing an unknown one, then lists the choices', () => {
    expect(resolveBrandingTheme('Gala night', themes, false)).toEqual({ missing: 'branding_themes' });
    expect(resolveBrandingTheme('Gala night', themes, true)).toMatchObject({ problem: { hint: expect.stringMatching(/^Use one of: Standard, Special projects/) } });
  });
});

describe('resolveDocumentNames', () => {
  const settings = { trackingCategories: mapping } as unknown as EffectiveSettings;
  const document = { brandingTheme: null, lines: [{ tracking: { chapter: 'Auckland' } }] };
  const context = (ageMs: number, final = false): NameContext => ({
    catalogues: { trackingCategories: categories, fetchedAt: { tracking_categories: new Date(1_000_000_000 - ageMs) } },
    final,
    loadedAt: 1_000_000_000,
  });

  it('trusts a copy read within the hour, and reads an older one again before a tracked push', () => {
    expect(resolveDocumentNames(document, settings, context(CATALOGUE_MAX_AGE_MS - 1))).toMatchObject({ names: { tracking: [[{ name: 'Chapter', option: 'Auckland' }]] } });
    expect(resolveDocumentNames(document, settings, context(CATALOGUE_MAX_AGE_MS + 1))).toEqual({ missing: 'tracking_categories' });
    // After the read (even one that failed), what is known decides.
    expect(resolveDocumentNames(document, settings, context(CATALOGUE_MAX_AGE_MS + 1, true))).toMatchObject({ names: {} });
  });
});

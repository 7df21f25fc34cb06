/**
 * What the sync needs of an app's scopes, in Xero's broad (pre-March 2026) and granular vocabularies: the
 * AMS guide's app has exactly `accounting.contacts` and `accounting.transactions`.
 */
import { describe, expect, it } from 'vitest';
import { lacksScope, parseScopes, SCOPE_NEEDS, scopeWarnings, SYNC_SCOPE_NEEDS } from '../../xero/scopes.ts';

const guide = parseScopes('accounting.contacts accounting.transactions');
const granular = parseScopes('offline_access accounting.contacts accounting.invoices accounting.payments accounting.settings.read');

describe('scopes', () => {
  it("the guide's two scopes cover contacts, invoices and payments, not the settings reads", () => {
    expect(SYNC_SCOPE_NEEDS.map((need) => lacksScope(guide, need))).toEqual([false, false, false]);
    expect(lacksScope(guide, SCOPE_NEEDS.settingsRead)).toBe(true);
    expect(scopeWarnings(guide)).toEqual([
      expect.objectContaining({ scope: 'accounting.settings.read', message: expect.stringContaining('the app lacks accounting.settings.read') }),
    ]);
  });

  it('the granular set covers everything; the broad settings scope covers the settings reads', () => {
    expect([...SYNC_SCOPE_NEEDS, SCOPE_NEEDS.settingsRead].map((need) => lacksScope(granular, need))).toEqual([false, false, false, false]);
    expect(lacksScope(parseScopes('accounting.settings'), SCOPE_NEEDS.settingsRead)).toBe(false);
    expect(scopeWarnings(granular)).toEqual([]);
  });

  it('warns of the journals scope only once revenue recognition is on', () => {
    const withoutJournals = parseScopes('offline_access accounting.contacts accounting.invoices accounting.payments accounting.settings.read');
    expect(scopeWarnings(withoutJournals, { revenueRecognition: false })).toEqual([]);
    expect(scopeWarnings(withoutJournals, { revenueRecognition: true })).toEqual([
      expect.objectContaining({ scope: 'accounting.manualjournals', message: expect.stringContaining('the app lacks accounting.manualjournals') }),
    ]);
    // The guide's broad transactions scope covers manual journals.
    expect(scopeWarnings(guide, { revenueRecognition: true }).map((w) => w.scope)).toEqual(['accounting.settings.read']);
    expect(scopeWarnings(parseScopes(`${withoutJournals.join(' ')} accounting.manualjournals`), { revenueRecognition: true })).toEqual([]);
  });

  it('says nothing when Xero never said what it granted', () => {
    expect(lacksScope(parseScopes(null), SCOPE_NEEDS.settingsRead)).toBeUndefined();
    expect(scopeWarnings([])).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { FAIRNESS_KEY_MAX_BYTES, orgFairnessKey } from '../../workflows/fairness.ts';

describe('orgFairnessKey', () => {
  it('is the organisation id itself when it fits in a fairness key', () => {
    expect(orgFairnessKey('org-42')).toBe('org-42');
    const longest = 'a'.repeat(FAIRNESS_KEY_MAX_BYTES);
    expect(orgFairnessKey(longest)).toBe(longest);
  });

  it('keeps an id of up to 100 characters (what the API accepts) within 64 bytes, and apart from another with the same start', () => {
    const a = `${'x'.repeat(60)}:tenant-a:${'y'.repeat(30)}`;
    const b = `${'x'.repeat(60)}:tenant-b:${'y'.repeat(30)}`;
    expect(a).toHaveLength(100);
    for (const key of [orgFairnessKey(a), orgFairnessKey(b)]) {
      expect(Buffer.byteLength(key, 'utf8')).toBeLessThanOrEqual(FAIRNESS_KEY_MAX_BYTES);
      expect(key.startsWith('x'.repeat(40))).toBe(true);
    }
    expect(orgFairnessKey(a)).not.toBe(orgFairnessKey(b));
    // Deterministic: the workflow and its client compute it alike, on every replay.
    expect(orgFairnessKey(a)).toBe(orgFairnessKey(a));
  });

  it('counts bytes, not characters', () => {
    const key = orgFairnessKey('é'.repeat(40));
    expect(Buffer.byteLength(key, 'utf8')).toBeLessThanOrEqual(FAIRNESS_KEY_MAX_BYTES);
  });
});

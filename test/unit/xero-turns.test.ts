/** A pass's Xero calls go at the priority level of their turn: 1, 2, 3, 4, then 5 for every later one. */
import { expect, it } from 'vitest';
import { turnLevel } from '../../workflows/org/turns.ts';

it('puts the first four calls of a pass at levels 1 to 4 and every later one at 5, the lowest the server knows by default', () => {
  expect(Array.from({ length: 8 }, (_, i) => turnLevel(i))).toEqual([1, 2, 3, 4, 5, 5, 5, 5]);
  expect(turnLevel(10_000)).toBe(5);
});

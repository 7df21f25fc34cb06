/** Manual journals for revenue recognition: balanced posting, finding one again by its exact narration, statuses. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers.ts';
import { validateAccountingResponse } from './openapi-validator.ts';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => { await h.close(); });

const lines = (amount = 250) => [
  { LineAmount: amount, AccountCode: '835', Description: 'Release revenue received in advance', Tracking: [{ Name: 'Region', Option: 'North' }] },
  { LineAmount: -amount, AccountCode: '200', Description: 'Membership revenue', TaxType: 'NONE' },
];
const journal = (Narration: string, extra: Record<string, unknown> = {}) => ({ Narration, Date: '2026-03-31', Status: 'POSTED', JournalLines: lines(), ...extra });
async function put(journals: unknown[], headers: Record<string, string> = {}) {
  const res = await h.api('PUT', '/ManualJournals?summarizeErrors=false', { body: { ManualJournals: journals }, headers });
  expect(validateAccountingResponse('PUT', '/ManualJournals', res.status, res.body).errors).toEqual([]);
  return res;
}
const byNarration = async (narration: string) => {
  const where = `Narration=="${narration.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const res = await h.api('GET', `/ManualJournals?where=${encodeURIComponent(where)}`);
  expect(res.status).toBe(200);
  return res.body.ManualJournals as Array<{ ManualJournalID: string; Narration: string }>;
};

describe('posting manual journals', () => {
  it('posts a balanced journal with descriptions, tax types and tracking, answering it with its lines', async () => {
    const res = await put([journal('Revenue recognition 2026-03')]);
    const posted = res.body.ManualJournals[0];
    expect(posted).toMatchObject({ StatusAttributeString: 'OK', Narration: 'Revenue recognition 2026-03', Status: 'POSTED', LineAmountTypes: 'NoTax', Date: '/Date(1774915200000+0000)/', DateString: '2026-03-31T00:00:00', ShowOnCashBasisReports: true });
    expect(posted.JournalLines).toEqual([
      expect.objectContaining({ LineAmount: 250, AccountCode: '835', Description: 'Release revenue received in advance', Tracking: [expect.objectContaining({ Name: 'Region', Option: 'North' })] }),
      expect.objectContaining({ LineAmount: -250, AccountCode: '200', TaxType: 'NONE', TaxAmount: 0, Tracking: [] }),
    ]);
  });

  it('refuses what does not balance, fewer than two lines, an unknown account and a status other than DRAFT or POSTED', async () => {
    const res = await put([
      journal('Unbalanced', { JournalLines: [{ LineAmount: 100, AccountCode: '835' }, { LineAmount: -99.99, AccountCode: '200' }] }),
      journal('One line', { JournalLines: [{ LineAmount: 0, AccountCode: '835' }] }),
      journal('Unknown account', { JournalLines: [{ LineAmount: 1, AccountCode: '835' }, { LineAmount: -1, AccountCode: '999' }] }),
      journal('Voided at birth', { Status: 'VOIDED' }),
      journal('Exclusive with tax', { LineAmountTypes: 'Exclusive', JournalLines: [{ LineAmount: 115, AccountCode: '835', TaxType: 'NONE' }, { LineAmount: -100, AccountCode: '200', TaxType: 'OUTPUT2' }] }),
    ]);
    const [unbalanced, one, unknown, voided, exclusive] = res.body.ManualJournals;
    expect(unbalanced.ValidationErrors).toEqual([{ Message: 'The total debits (100.00) must equal total credits (-99.99)' }]);
    expect(one.ValidationErrors).toEqual([{ Message: 'A manual journal must have at least two journal lines.' }]);
    expect(unknown.ValidationErrors).toEqual([{ Message: "Account code '999' is not a valid code for this document." }]);
    expect(voided.ValidationErrors).toEqual([{ Message: 'Manual journal not of valid status for creation' }]);
    expect(exclusive).toMatchObject({ StatusAttributeString: 'OK' });
    expect(exclusive.JournalLines[1]).toMatchObject({ LineAmount: -100, TaxAmount: -15 });
  });

  it('replays a PUT with the same Idempotency-Key, and refuses the key with another body', async () => {
    const first = await put([journal('Revenue recognition 2026-04')], { 'Idempotency-Key': 'rr-2026-04' });
    const again = await put([journal('Revenue recognition 2026-04')], { 'Idempotency-Key': 'rr-2026-04' });
    expect(again.body.ManualJournals[0].ManualJournalID).toBe(first.body.ManualJournals[0].ManualJournalID);
    const conflict = await h.api('PUT', '/ManualJournals?summarizeErrors=false', { body: { ManualJournals: [journal('Revenue recognition 2026-05')] }, headers: { 'Idempotency-Key': 'rr-2026-04' } });
    expect(conflict.status).toBe(400);
    expect(await byNarration('Revenue recognition 2026-04')).toHaveLength(1);
  });
});

describe('finding a journal again', () => {
  it('finds exactly the journal with a given narration, punctuation and quotes included, and nothing for a near miss', async () => {
    const narration = 'Revenue recognition: org "harbour-42" / 2026-03 (run 1) + adj.';
    await put([journal(narration), journal(`${narration} again`), journal('revenue recognition: org "harbour-42" / 2026-03 (run 1) + adj.')]);
    const found = await byNarration(narration);
    expect(found.map((j) => j.Narration)).toEqual([narration]);
    expect(await byNarration('Revenue recognition: org "harbour-42" / 2026-04 (run 1) + adj.')).toEqual([]);
    const starts = await h.api('GET', `/ManualJournals?where=${encodeURIComponent('Narration.StartsWith("Revenue recognition: org")')}`);
    expect(starts.body.ManualJournals).toHaveLength(2);
  });

  it('lists without lines unless paged, pages, filters by If-Modified-Since, and gives lines by id', async () => {
    const first = (await put([journal('January')])).body.ManualJournals[0];
    const since = new Date(Number(/\d+/.exec(first.UpdatedDateUTC)![0])).toISOString();
    h.sandbox.control.advanceClock(1000);
    await put([journal('February'), journal('March')]);
    const list = await h.api('GET', '/ManualJournals');
    expect(validateAccountingResponse('GET', '/ManualJournals', 200, list.body).errors).toEqual([]);
    expect(list.body.ManualJournals.map((j: { Narration: string }) => j.Narration)).toEqual(['January', 'February', 'March']);
    expect(list.body.ManualJournals[0].JournalLines).toBeUndefined();
    const paged = await h.api('GET', '/ManualJournals?page=2&pageSize=2&order=Narration');
    expect(paged.body.pagination).toEqual({ page: 2, pageSize: 2, pageCount: 2, itemCount: 3 });
    expect(paged.body.ManualJournals.map((j: { Narration: string }) => j.Narration)).toEqual(['March']);
    expect(paged.body.ManualJournals[0].JournalLines).toHaveLength(2);
    const changed = await h.api('GET', '/ManualJournals', { headers: { 'If-Modified-Since': since } });
    expect(changed.body.ManualJournals.map((j: { Narration: string }) => j.Narration)).toEqual(['February', 'March']);
    const one = await h.api('GET', `/ManualJournals/${first.ManualJournalID}`);
    expect(validateAccountingResponse('GET', '/ManualJournals/{ManualJournalID}', 200, one.body).errors).toEqual([]);
    expect(one.body.ManualJournals[0].JournalLines).toHaveLength(2);
  });
});

describe('changing journals', () => {
  it('posts a draft, voids a posted journal, deletes a draft, and refuses other changes', async () => {
    const [draft, other] = (await put([journal('Draft one', { Status: 'DRAFT' }), journal('Draft two', { Status: 'DRAFT' })])).body.ManualJournals;
    const posted = await h.api('POST', `/ManualJournals/${draft.ManualJournalID}`, { body: { ManualJournals: [{ Status: 'POSTED', Narration: 'Posted one' }] } });
    expect(validateAccountingResponse('POST', '/ManualJournals/{ManualJournalID}', 200, posted.body).errors).toEqual([]);
    expect(posted.body.ManualJournals[0]).toMatchObject({ Status: 'POSTED', Narration: 'Posted one' });
    const upsert = await h.api('POST', '/ManualJournals', { body: { ManualJournals: [{ ManualJournalID: draft.ManualJournalID, JournalLines: lines(300) }] } });
    expect(upsert.body.ManualJournals[0].JournalLines[0].LineAmount).toBe(300);
    const voided = await h.api('POST', `/ManualJournals/${draft.ManualJournalID}`, { body: { ManualJournals: [{ Status: 'VOIDED' }] } });
    expect(voided.body.ManualJournals[0].Status).toBe('VOIDED');
    const refused = await h.api('POST', `/ManualJournals/${draft.ManualJournalID}`, { body: { ManualJournals: [{ Status: 'POSTED' }] } });
    expect(refused.status).toBe(400);
    expect(refused.body.Elements[0].ValidationErrors).toEqual([{ Message: 'Manual journal not of valid status for modification' }]);
    expect((await h.api('POST', `/ManualJournals/${other.ManualJournalID}`, { body: { ManualJournals: [{ Status: 'DELETED' }] } })).body.ManualJournals[0].Status).toBe('DELETED');
    expect((await h.api('GET', '/ManualJournals')).body.ManualJournals.map((j: { Narration: string }) => j.Narration)).toEqual(['Posted one']);
    expect((await h.api('GET', `/ManualJournals?where=${encodeURIComponent('Status=="DELETED"')}`)).body.ManualJournals).toHaveLength(1);
  });
});

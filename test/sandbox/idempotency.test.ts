import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers.ts';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => { await h.close(); });

const body = { Contacts: [{ Name: 'Once Only', ContactNumber: 'C-1' }] };

describe('Idempotency-Key', () => {
  it('a replay returns the first answer without creating again, and still costs a call', async () => {
    const first = await h.api('PUT', '/Contacts', { body, headers: { 'Idempotency-Key': 'batch-1' } });
    const replay = await h.api('PUT', '/Contacts', { body, headers: { 'Idempotency-Key': 'batch-1' } });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('x-minlimit-remaining')).toBe('58');
    expect((await h.api('GET', '/Contacts')).body.Contacts).toHaveLength(1);
    expect(h.sandbox.control.counters().idempotentReplays).toBe(1);
  });

  it('replays an error answer too (the work is not retried)', async () => {
    await h.api('PUT', '/Contacts', { body: { Contacts: [{ Name: 'Once Only' }] } });
    const first = await h.api('PUT', '/Contacts', { body, headers: { 'Idempotency-Key': 'k' } });
    expect(first.status).toBe(400);
    expect((await h.api('PUT', '/Contacts', { body, headers: { 'Idempotency-Key': 'k' } })).body).toEqual(first.body);
  });

  it('the same key with a different body, URL or method is a 400', async () => {
    await h.api('PUT', '/Contacts', { body, headers: { 'Idempotency-Key': 'reused' } });
    expect((await h.api('PUT', '/Contacts', { body: { Contacts: [{ Name: 'Other' }] }, headers: { 'Idempotency-Key': 'reused' } })).status).toBe(400);
    expect((await h.api('POST', '/Contacts', { body, headers: { 'Idempotency-Key': 'reused' } })).status).toBe(400);
    expect((await h.api('PUT', '/Contacts?summarizeErrors=false', { body, headers: { 'Idempotency-Key': 'reused' } })).status).toBe(400);
    expect((await h.api('GET', '/Contacts')).body.Contacts).toHaveLength(1);
  });

  it('refuses keys over 128 characters and forgets keys after the (scaled) window', async () => {
    expect((await h.api('PUT', '/Contacts', { body, headers: { 'Idempotency-Key': 'x'.repeat(129) } })).status).toBe(400);
    await h.api('PUT', '/Contacts', { body, headers: { 'Idempotency-Key': 'x'.repeat(128) } });
    h.sandbox.control.advanceClock(6 * 60_000 + 1);
    const late = await h.api('PUT', '/Contacts', { body, headers: { 'Idempotency-Key': 'x'.repeat(128) } });
    expect(late.status).toBe(400); // done again: now the name is taken
    expect(late.body.Elements[0].ValidationErrors[0].Message).toContain('is already assigned to another contact');
  });

  it('rate limits are checked before the key', async () => {
    h.sandbox.control.setLimits({ perMinute: 1 });
    await h.api('PUT', '/Contacts', { body, headers: { 'Idempotency-Key': 'rl' } });
    expect((await h.api('PUT', '/Contacts', { body, headers: { 'Idempotency-Key': 'rl' } })).status).toBe(429);
  });
});

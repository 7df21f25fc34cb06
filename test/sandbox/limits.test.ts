import { afterEach, describe, expect, it } from 'vitest';
import { connectApp, startHarness, type Harness } from './helpers.ts';

let h: Harness;
afterEach(async () => { await h.close(); });

describe('rate limits', () => {
  it('the 61st call in a minute is a 429 with Retry-After; the window resets after a minute', async () => {
    h = await startHarness();
    for (let i = 1; i <= 60; i++) {
      const res = await h.api('GET', '/Organisation');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-minlimit-remaining')).toBe(String(60 - i));
    }
    const res = await h.api('GET', '/Organisation');
    expect(res.status).toBe(429);
    expect(res.headers.get('x-rate-limit-problem')).toBe('minute');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.headers.get('x-daylimit-remaining')).toBe('4940');
    expect(res.headers.get('x-appminlimit-remaining')).toBe('9940');
    expect(h.sandbox.control.counters().rateLimited.minute).toBe(1);
    h.sandbox.control.advanceClock(60_000);
    expect((await h.api('GET', '/Organisation')).status).toBe(200);
  });

  it('scales the window and Retry-After with the time scale, with the exact wait in X-Sandbox-Retry-After-Ms', async () => {
    h = await startHarness({ timeScale: 60, limits: { perMinute: 3 } }); // a Xero minute lasts one second
    for (let i = 0; i < 3; i++) expect((await h.api('GET', '/Organisation')).status).toBe(200);
    const limited = await h.api('GET', '/Organisation');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    const exact = Number(limited.headers.get('x-sandbox-retry-after-ms'));
    expect(exact).toBeGreaterThan(0);
    expect(exact).toBeLessThanOrEqual(1000);
    await new Promise((r) => setTimeout(r, exact + 20));
    expect((await h.api('GET', '/Organisation')).status).toBe(200);
  });

  it('the 6th call in flight is a 429 "concurrent" without Retry-After', async () => {
    h = await startHarness({ faults: { latencyMs: 300 } });
    const calls = Array.from({ length: 6 }, () => h.api('GET', '/Organisation'));
    const results = await Promise.all(calls);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = results.find((r) => r.status === 429)!;
    expect(limited.headers.get('x-rate-limit-problem')).toBe('concurrent');
    expect(limited.headers.get('retry-after')).toBeNull();
  });

  it('enforces the daily limit and the per-app minute limit across organisations', async () => {
    h = await startHarness({ limits: { perDay: 2, appPerMinute: 3 } });
    await h.api('GET', '/Organisation');
    await h.api('GET', '/Organisation');
    const day = await h.api('GET', '/Organisation');
    expect(day.headers.get('x-rate-limit-problem')).toBe('day');
    expect(Number(day.headers.get('retry-after'))).toBeGreaterThan(3600 * 23);
    const other = h.sandbox.control.createOrganisation({ name: 'Other' });
    const tokens = await connectApp(h.sandbox, h.clientId, h.clientSecret, [other.tenantId]);
    expect((await h.api('GET', '/Organisation', { tenantId: other.tenantId, token: tokens.access_token })).status).toBe(200);
    const app = await h.api('GET', '/Organisation', { tenantId: other.tenantId, token: tokens.access_token });
    expect(app.headers.get('x-rate-limit-problem')).toBe('appminute');
    // The counters keep the fullest app window: what a benchmark compares with the app-wide limit.
    expect(h.sandbox.control.counters().appMinutePeak).toEqual({ [h.clientId]: 3 });
  });
});

describe('fault injection', () => {
  it('answers a configured share with 500/503 bodies like Xero\'s, and counts them', async () => {
    h = await startHarness({ faults: { errorRate: 1, errorStatuses: [503] } });
    const res = await h.api('GET', '/Organisation');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ Status: 503, Title: 'Service Unavailable' });
    h.sandbox.control.setFaults({ errorStatuses: [500] });
    expect((await h.api('GET', '/Organisation')).status).toBe(500);
    expect(h.sandbox.control.counters().faults.byStatus).toEqual({ 500: 1, 503: 1 });
    h.sandbox.control.setFaults({ errorRate: 0 });
    expect((await h.api('GET', '/Organisation')).status).toBe(200);
  });

  it('injects 429s (rate429) and storms of them', async () => {
    h = await startHarness({ faults: { rate429: 1 } });
    const res = await h.api('GET', '/Organisation');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).not.toBeNull();
    h.sandbox.control.setFaults({ rate429: 0 });
    h.sandbox.control.rateLimitStorm(30);
    expect((await h.api('GET', '/Organisation')).status).toBe(429);
    h.sandbox.control.advanceClock(31_000);
    expect((await h.api('GET', '/Organisation')).status).toBe(200);
    expect(h.sandbox.control.counters().rateLimited.injected).toBe(2);
  });

  it('arms a storm for one organisation: it begins on the call after `afterCalls` more, and counts calls back before their Retry-After', async () => {
    h = await startHarness({ timeScale: 10 });
    const other = h.sandbox.control.createOrganisation({ name: 'Left alone' });
    const otherTokens = await connectApp(h.sandbox, h.clientId, h.clientSecret, [other.tenantId]);
    const otherCall = () => h.api('GET', '/Organisation', { tenantId: other.tenantId, token: otherTokens.access_token });
    expect(h.sandbox.control.rateLimitStorm({ seconds: 30, tenantId: h.tenantId.toUpperCase(), afterCalls: 1 })).toMatchObject({ state: 'armed', callsToGo: 1, served: 0 });
    // Another organisation's calls neither count towards it nor meet it.
    expect((await otherCall()).status).toBe(200);
    expect((await h.api('GET', '/Organisation')).status).toBe(200);
    expect(h.sandbox.control.rateLimitStormStatus).toMatchObject({ state: 'armed', callsToGo: 0 });
    const stormed = await h.api('PUT', '/Contacts', { headers: { 'Idempotency-Key': 'k-1' }, body: { Contacts: [{ Name: 'In the storm' }] } });
    expect(stormed.status).toBe(429);
    expect(stormed.headers.get('x-rate-limit-problem')).toBe('minute');
    expect(Number(stormed.headers.get('retry-after'))).toBe(3); // 30 Xero s at time scale 10
    expect((await otherCall()).status).toBe(200);
    expect(h.sandbox.control.rateLimitStormStatus).toMatchObject({ state: 'raging', served: 1, retriedEarly: 0 });
    // The same call back at once: turned away again, and counted as back before its Retry-After.
    expect((await h.api('PUT', '/Contacts', { headers: { 'Idempotency-Key': 'k-1' }, body: { Contacts: [{ Name: 'In the storm' }] } })).status).toBe(429);
    expect((await h.api('GET', '/Organisation')).status).toBe(429);
    expect(h.sandbox.control.rateLimitStormStatus).toMatchObject({ state: 'raging', served: 3, retriedEarly: 1 });
    h.sandbox.control.advanceClock(31_000);
    expect((await h.api('PUT', '/Contacts', { headers: { 'Idempotency-Key': 'k-1' }, body: { Contacts: [{ Name: 'In the storm' }] } })).status).toBe(200);
    expect(h.sandbox.control.rateLimitStormStatus).toMatchObject({ state: 'over', served: 3, retriedEarly: 1 });
    expect(h.sandbox.control.counters().rateLimited.injected).toBe(3);
    expect(() => h.sandbox.control.rateLimitStorm({ seconds: 30, tenantId: 'no-such-tenant' })).toThrow('unknown organisation');
    expect(() => h.sandbox.control.rateLimitStorm({ seconds: 30, afterCalls: -1 })).toThrow('afterCalls');
  });

  it('a "hang" timeout does the work but never answers', async () => {
    h = await startHarness({ faults: { timeoutRate: 1, timeoutMode: 'hang', timeoutMs: 5_000 } });
    const attempt = h.api('PUT', '/Contacts', { body: { Contacts: [{ Name: 'Created in the dark' }] } });
    await expect(Promise.race([attempt, new Promise((_, reject) => setTimeout(() => reject(new Error('client timeout')), 300))])).rejects.toThrow('client timeout');
    h.sandbox.control.setFaults({ timeoutRate: 0 });
    const list = await h.api('GET', '/Contacts');
    expect(list.body.Contacts.map((c: { Name: string }) => c.Name)).toEqual(['Created in the dark']);
    expect(h.sandbox.control.counters().faults.timeouts).toBe(1);
    attempt.catch(() => {});
  });

  it('does the work of a call whose client went away while Xero was working on it (a killed worker)', async () => {
    h = await startHarness({ faults: { latencyMs: 300 } });
    const controller = new AbortController();
    const attempt = fetch(`${h.sandbox.apiUrl}/Contacts`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${h.tokens.access_token}`, 'xero-tenant-id': h.tenantId, 'content-type': 'application/json' },
      body: JSON.stringify({ Contacts: [{ Name: 'Sent before dying' }] }),
      signal: controller.signal,
    });
    // The request is at Xero and the answer is not yet: the client goes away.
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    await expect(attempt).rejects.toThrow();
    // Asked later, with the same latency: Xero has finished the first call by the time it answers this one.
    const list = await h.api('GET', '/Contacts');
    expect(list.body.Contacts.map((c: { Name: string }) => c.Name)).toEqual(['Sent before dying']);
  });

  it('adds latency', async () => {
    h = await startHarness({ faults: { latencyMs: 150 } });
    const started = Date.now();
    await h.api('GET', '/Organisation');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('call duration', () => {
  const concurrently = (n: number) => Promise.all(Array.from({ length: n }, () => h.api('GET', '/Organisation')));

  it('a call holds its in-flight slot for callDurationMs: a sixth at once is a 429 "concurrent", five are not', async () => {
    h = await startHarness({ limits: { callDurationMs: 400 } });
    const five = await concurrently(5);
    expect(five.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const six = await concurrently(6);
    expect(six.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 429]);
    expect(six.find((r) => r.status === 429)!.headers.get('x-rate-limit-problem')).toBe('concurrent');
    expect(h.sandbox.control.counters().rateLimited.concurrent).toBe(1);
  });

  it('is stated in Xero milliseconds and scaled by the time scale', async () => {
    h = await startHarness({ timeScale: 10, limits: { callDurationMs: 3_000 } });
    const started = Date.now();
    expect((await h.api('GET', '/Organisation')).status).toBe(200);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(2_000);
    expect(h.sandbox.control.limits.callDurationMs).toBe(3_000);
  });
});

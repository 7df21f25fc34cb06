/**
 * "Check sync logs for specific error messages": the sync log, for a platform admin
 * (`GET /api/admin/integrations/xero/{organization_id}/logs`) and for the organisation's own admin
 * (`GET /api/orgs/{orgId}/integrations/xero/logs`, beside its own status and retry), with the same filters,
 * paging and shapes.
 */
import { describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { eventually, newOrgId } from '../support/stack.ts';
import { useAdminHarness } from './admin-harness.ts';

const h = useAdminHarness();

interface LogEntry {
  id: string;
  at: string;
  record_type: string | null;
  record_id: string | null;
  action: string;
  outcome: string;
  message: string | null;
  hint: string | null;
}
interface LogPage {
  entries: LogEntry[];
  next_cursor: string | null;
}

const logs = (orgId: string, query = '') => h.admin(orgId).call<LogPage>('GET', `/logs${query}`);
const orgRoute = (orgId: string, role: 'client_admin' | 'service' = 'client_admin', callerOrg = orgId) => {
  const call = async <T>(method: string, path: string, body?: string) => {
    const res = await fetch(`${h.stack.apiUrl}/api/orgs/${orgId}/integrations/xero${path}`, {
      method,
      headers: { authorization: `Bearer ${await h.stack.token(role, callerOrg)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body,
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  return call;
};

describe('GET .../logs', () => {
  it("lists each record's outcomes newest first, with Xero's words and our hint, and filters them", async () => {
    const { orgId } = await h.orgWithTwoFailedRecords();
    const all = (await logs(orgId)).body;
    expect(all.next_cursor).toBeNull();
    expect(all.entries.map((e) => Number(e.id))).toEqual(all.entries.map((e) => Number(e.id)).sort((a, b) => b - a));
    for (const entry of all.entries) expect(Object.keys(entry).sort()).toEqual(['action', 'at', 'hint', 'id', 'message', 'outcome', 'record_id', 'record_type']);
    const pushed = all.entries.filter((e) => e.action === 'push').map((e) => `${e.record_type}:${e.record_id}:${e.outcome}`);
    expect(pushed.sort()).toEqual(['contacts:first-john:ok', 'contacts:m:ok', 'contacts:second-john:failed', 'invoices:bad:failed', 'invoices:good:ok']);

    const duplicate = (await logs(orgId, '?type=contacts&outcome=failed')).body.entries;
    expect(duplicate).toEqual([
      {
        id: expect.any(String),
        at: expect.stringMatching(/Z$/),
        record_type: 'contacts',
        record_id: 'second-john',
        action: 'push',
        outcome: 'failed',
        message: 'The contact name John Smith is already assigned to another contact. The contact name must be unique across all active contacts.',
        hint: expect.stringMatching(/^Another Xero contact already has this name/),
      },
    ]);
    expect((await logs(orgId, '?record_id=bad')).body.entries).toEqual([
      expect.objectContaining({ record_type: 'invoices', outcome: 'failed', message: "Account code '280' is not a valid code for this document." }),
    ]);
    // The singular names still work; a `since` after everything finds nothing.
    expect((await logs(orgId, '?type=invoice&outcome=ok')).body.entries.map((e) => e.record_id)).toEqual(['good']);
    const later = new Date(Date.now() + 60_000).toISOString();
    expect((await logs(orgId, `?since=${encodeURIComponent(later)}`)).body).toEqual({ entries: [], next_cursor: null });
    const since = all.entries.at(-1)!.at;
    expect((await logs(orgId, `?since=${encodeURIComponent(since)}`)).body.entries.length).toBe(all.entries.length);
  });

  it('pages with a cursor: every entry once, newest first, then next_cursor null', async () => {
    const { orgId } = await h.orgWithTwoFailedRecords();
    const all = (await logs(orgId, '?limit=200')).body.entries.map((e) => e.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: LogPage = (await logs(orgId, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 2));
  });

  it('answers 422 naming each bad parameter', async () => {
    const { orgId } = await h.orgWithOneFailedInvoice();
    const cases: Array<[string, string]> = [
      ['?limit=0', 'query.limit'],
      ['?limit=201', 'query.limit'],
      ['?limit=ten', 'query.limit'],
      ['?outcome=great', 'query.outcome'],
      ['?type=journals', 'query.type'],
      ['?since=yesterday', 'query.since'],
      ['?cursor=not-a-cursor', 'query.cursor'],
      ['?record_id=has%20space', 'query.record_id'],
      ['?colour=red', 'query'],
    ];
    for (const [query, path] of cases) {
      const res = await h.admin(orgId).call<{ code: string; errors: Array<{ path: string }> }>('GET', `/logs${query}`);
      expect([query, res.status, res.body.code]).toEqual([query, 422, 'validation_failed']);
      expect(res.body.errors.map((e) => e.path)).toEqual([path]);
    }
  });
});

describe("the organisation's own status, logs and retry", () => {
  it("answer exactly what the platform admin's do, to the organisation's admin; 404 to another organisation's", async () => {
    const { orgId } = await h.orgWithTwoFailedRecords();
    await eventually(async () => (await h.admin(orgId).status()).body.workflow?.phase === 'idle');
    const own = orgRoute(orgId);

    const [adminStatus, ownStatus] = [await h.admin(orgId).status(), await own<Record<string, unknown>>('GET', '/status')];
    expect(ownStatus.status).toBe(200);
    expect(ownStatus.body).toEqual(adminStatus.body);
    expect((await own('GET', '/logs?type=contacts')).body).toEqual((await logs(orgId, '?type=contacts')).body);
    expect((await orgRoute(orgId, 'service')('GET', '/logs')).status).toBe(200);

    const retried = await own<Record<string, unknown>>('POST', '/retry', '{"sync_type": "contacts", "record_ids": ["uuid-1", "second-john"]}');
    expect(retried).toMatchObject({
      status: 202,
      body: { sync_type: 'contacts', requeued: 1, retried: ['second-john'], not_found: ['uuid-1'], not_failed: [], workflow_notified: true },
    });
    // The retry is in the log, then its outcome (Xero refuses the name again).
    await eventually(async () => (await h.syncStateOf(orgId, 'contact', 'second-john'))?.attempts === 1);
    const history = (await own<LogPage>('GET', '/logs?record_id=second-john')).body.entries.map((e) => `${e.action}:${e.outcome}`);
    expect(history).toEqual(['push:failed', 'retry:retrying', 'push:failed']);

    const stranger = newOrgId();
    for (const [method, path] of [['GET', '/status'], ['GET', '/logs'], ['POST', '/retry']] as const) {
      expect((await orgRoute(orgId, 'client_admin', stranger)(method, path, method === 'POST' ? '{"sync_type": "contacts"}' : undefined)).status).toBe(404);
    }
    expect((await orgRoute(orgId, 'service')('POST', '/retry', '{"sync_type": "contacts"}')).status).toBe(403);
  });

  it("are closed, like every integration route, while the organisation's plan excludes integrations", async () => {
    const { orgId } = await h.orgWithOneFailedInvoice();
    expect((await apiClient(h.stack, orgId).call('PUT', `/api/orgs/${orgId}/plan`, { integrations: false })).status).toBe(200);
    const answer = await orgRoute(orgId)<{ code: string }>('GET', '/status');
    expect(answer).toMatchObject({ status: 403, body: { code: 'plan_required' } });
    // The platform admin still sees why nothing syncs.
    expect((await h.admin(orgId).status()).body).toMatchObject({ sync_status: 'paused', paused_reason: 'plan_required', sync_activity: 'on_hold' });
  });
});

/**
 * The thin slice through the whole skeleton: API → Postgres (one transaction) → Temporal
 * signal-with-start → worker → activity reading the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { WorkflowNotFoundError } from '@temporalio/client';
import { syncLog, syncState } from '../../db/schema/index.ts';
import { orgWorkflowId } from '../../workflows/ids.ts';
import { resumeSignal, statusQuery } from '../../workflows/messages.ts';
import { eventually, newOrgId, startTestStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

async function putContact(orgId: string, contactId: string, body: unknown, token?: string) {
  return fetch(`${stack.apiUrl}/api/orgs/${orgId}/contacts/${contactId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token ?? (await stack.token('service', orgId))}` },
    body: JSON.stringify(body),
  });
}

describe('PUT /api/orgs/{orgId}/contacts/{contactId}', () => {
  it('stores the contact as pending and wakes the organisation workflow, which reads it', async () => {
    const orgId = newOrgId();
    const res = await putContact(orgId, 'member-1', { name: 'Ada Lovelace', email: 'ada@example.com' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ orgId, id: 'member-1', name: 'Ada Lovelace', email: 'ada@example.com', sync: { state: 'pending', attempts: 0 } });

    const handle = stack.temporal.workflow.getHandle(orgWorkflowId(orgId));
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.type).toBe('xeroOrgWorkflow');

    // The workflow read the pending work; with no Xero connection it pauses, the record stays
    // pending (nothing accepted is lost) and the log says why.
    const status = await eventually(async () => {
      const s = await handle.query(statusQuery);
      return s.drains >= 1 && s.phase === 'paused' ? s : undefined;
    });
    expect(status.pausedReason).toBe('not_connected');
    const [state] = await stack.database.db.select().from(syncState).where(and(eq(syncState.orgId, orgId), eq(syncState.recordId, 'member-1')));
    expect(state).toMatchObject({ recordType: 'contact', state: 'pending', version: 1, claimId: null });
    const log = await stack.database.db.select().from(syncLog).where(eq(syncLog.orgId, orgId));
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ action: 'push', outcome: 'deferred' });
    expect(log[0]!.message).toMatch(/1 records waiting\. No Xero connection yet/);
  });

  it('treats the same body twice as one record; a change bumps the version', async () => {
    const orgId = newOrgId();
    await putContact(orgId, 'm', { name: 'Grace Hopper' });
    expect((await putContact(orgId, 'm', { name: 'Grace Hopper' })).status).toBe(200);
    const [same] = await stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId));
    expect(same!.version).toBe(1);

    await putContact(orgId, 'm', { name: 'Grace B. Hopper' });
    const [changed] = await stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId));
    expect(changed!.version).toBe(2);
  });

  it('answers 422 naming each bad field, and stores nothing', async () => {
    const orgId = newOrgId();
    const res = await putContact(orgId, 'x', { name: '', email: 'not-an-email', extra: 1 });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { code: string; errors: Array<{ path: string }> };
    expect(problem.code).toBe('validation_failed');
    const paths = problem.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.email', 'body']));
    await expect(stack.temporal.workflow.getHandle(orgWorkflowId(orgId)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('answers 400 for malformed JSON', async () => {
    const orgId = newOrgId();
    const res = await fetch(`${stack.apiUrl}/api/orgs/${orgId}/contacts/c`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token('service', orgId)}` },
      body: '{"name": ',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('invalid_json');
  });

  it('refuses without a token (401), with the wrong role (403) and for another organisation (404)', async () => {
    const orgId = newOrgId();
    const noToken = await fetch(`${stack.apiUrl}/api/orgs/${orgId}/contacts/c`, { method: 'PUT', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(noToken.status).toBe(401);
    expect((await putContact(orgId, 'c', { name: 'A' }, 'garbage')).status).toBe(401);

    const other = await putContact(orgId, 'c', { name: 'A' }, await stack.token('client_admin', newOrgId()));
    expect(other.status).toBe(404);
    const [state] = await stack.database.db.select().from(syncState).where(eq(syncState.orgId, orgId));
    expect(state).toBeUndefined();

    const admin = await putContact(orgId, 'c', { name: 'A' }, await stack.token('platform_admin'));
    expect(admin.status).toBe(200);

    // Every role of the organisation may write its contacts; the wrong role is one that reaches past them:
    // the contact's history through the platform admin's log, or a retry, which is a person's decision.
    const asRole = async (role: 'client_admin' | 'service', method: string, path: string, body?: string) => {
      const res = await fetch(`${stack.apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${await stack.token(role, orgId)}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body,
      });
      return { status: res.status, body: (await res.json()) as { code: string; detail: string } };
    };
    for (const role of ['client_admin', 'service'] as const) {
      const log = await asRole(role, 'GET', `/api/admin/integrations/xero/${orgId}/logs?type=contacts&record_id=c`);
      expect(log).toMatchObject({ status: 403, body: { code: 'forbidden', detail: 'This route needs one of the roles: platform_admin.' } });
    }
    const retry = await asRole('service', 'POST', `/api/orgs/${orgId}/integrations/xero/retry`, '{"sync_type": "contacts", "record_ids": ["c"]}');
    expect(retry).toMatchObject({ status: 403, body: { code: 'forbidden', detail: 'This route needs one of the roles: platform_admin, client_admin.' } });
  });
});

describe('the organisation workflow', () => {
  it('survives a worker restart: signals sent while no worker runs are handled by the next one', async () => {
    const orgId = newOrgId();
    await putContact(orgId, 'before', { name: 'Before Restart' });
    const handle = stack.temporal.workflow.getHandle(orgWorkflowId(orgId));
    await eventually(async () => (await handle.query(statusQuery)).phase === 'paused');

    await stack.stopWorker();
    // Accepted while no worker runs: committed to Postgres; the resume signal is kept by Temporal.
    expect((await putContact(orgId, 'during', { name: 'During Restart' })).status).toBe(200);
    await handle.signal(resumeSignal);
    await stack.startWorker();

    // The new worker replays the history, takes the resume, drains again and pauses again.
    const status = await eventually(async () => {
      const s = await handle.query(statusQuery);
      return s.drains === 2 && s.phase === 'paused' ? s : undefined;
    });
    expect(status.pausedReason).toBe('not_connected');
    const log = await stack.database.db.select().from(syncLog).where(eq(syncLog.orgId, orgId));
    expect(log.map((l) => l.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^2 records waiting/)]));
    expect((await handle.describe()).status.name).toBe('RUNNING');
  });
});

describe('health', () => {
  it('/healthz answers 200 and /readyz checks Postgres and Temporal', async () => {
    expect((await fetch(`${stack.apiUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${stack.apiUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', temporal: 'ok' } });
  });
});

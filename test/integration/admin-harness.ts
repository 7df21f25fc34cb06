/**
 * What the platform-admin tests share: the sandbox, the real stack, a client for
 * `/api/admin/integrations/xero/{organization_id}/...`, and an organisation with one invoice Xero refused.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { Sandbox } from '../../sandbox/index.ts';
import { startTestSandbox } from '../support/sandbox.ts';
import { syncState, type RecordType } from '../../db/schema/index.ts';
import { apiClient, type ApiResponse } from '../support/api-client.ts';
import { eventually, startTestStack, type TestStack } from '../support/stack.ts';
import { connectSandboxOrg } from '../support/xero-org.ts';

export interface StatusBody {
  connected: boolean;
  token_expires_at: string | null;
  last_sync: string | null;
  sync_status: string;
  pending_syncs: number;
  failed_syncs: number;
  errors: Array<{ type: string; message: string; timestamp: string; record_id: string | null; xero_message: string | null; hint: string | null }>;
  sync_activity: string;
  degraded_reason: string | null;
  contact_limit: { reached_at: string; retry_at: string; waiting_contacts: number; xero_message: string } | null;
  recent_pushes: { window: number; ok: number; failed: number };
  connection_status: string | null;
  paused_reason: string | null;
  records_by_type: Record<string, Record<string, number>>;
  progress: { resync_id: string; total: number; done: number; failed: number; percent: number; eta_seconds: number; finished: boolean } | null;
  workflow: { phase: string; budget: { in_flight: number } } | null;
  workflow_unavailable: { reason: string; detail: string } | null;
}

export const adminBase = (orgId: string) => `/api/admin/integrations/xero/${orgId}`;

export const invoice = (contactId: string, number: string, serviceCode = 'MEMBERSHIP') => ({
  contactId,
  number,
  date: '2026-11-01',
  dueDate: '2026-11-30',
  lines: [{ description: 'Annual membership', quantity: 1, unitAmount: '150.00', serviceCode }],
});

export function useAdminHarness() {
  let sandbox: Sandbox;
  let stack: TestStack;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    stack = await startTestStack({ xeroUrl: sandbox.url });
  });
  afterAll(async () => {
    await stack?.close();
    await sandbox?.close();
  });

  const admin = (orgId: string, baseUrl = stack.apiUrl) => {
    /** `body`: an object (sent as JSON) or a string (sent as those exact bytes). */
    const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown, role: 'platform_admin' | 'client_admin' | 'service' = 'platform_admin'): Promise<ApiResponse<T>> => {
      const token = await stack.token(role, role === 'platform_admin' ? undefined : orgId);
      const res = await fetch(`${baseUrl}${adminBase(orgId)}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T };
    };
    return {
      call,
      status: () => call<StatusBody>('GET', '/status'),
      retry: (body: unknown) => call('POST', '/retry', body),
      resync: (body: unknown) => call('POST', '/resync', body),
    };
  };

  const syncStateOf = async (orgId: string, recordType: RecordType, recordId: string) => {
    const [row] = await stack.database.db
      .select()
      .from(syncState)
      .where(and(eq(syncState.orgId, orgId), eq(syncState.recordType, recordType), eq(syncState.recordId, recordId)));
    return row;
  };

  const settledState = (orgId: string, recordType: RecordType, recordId: string) =>
    eventually(async () => {
      const row = await syncStateOf(orgId, recordType, recordId);
      return row && row.state !== 'pending' ? row : undefined;
    });

  const countInState = async (orgId: string, state: 'pending' | 'synced') => {
    const [row] = await stack.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(syncState)
      .where(and(eq(syncState.orgId, orgId), eq(syncState.state, state)));
    return row?.n ?? 0;
  };

  /** A connected organisation with one synced contact, one synced invoice and one invoice Xero refused (archived account 280). */
  const orgWithOneFailedInvoice = async () => {
    const org = await connectSandboxOrg(stack, sandbox, { serviceAccounts: { OLD: '280' } });
    const api = apiClient(stack, org.orgId);
    await api.putContact('m', { name: 'Dorothy Vaughan' });
    await api.putInvoices([
      { id: 'good', ...invoice('m', 'G-1') },
      { id: 'bad', ...invoice('m', 'B-1', 'OLD') },
    ]);
    expect((await settledState(org.orgId, 'invoice', 'good')).state).toBe('synced');
    expect((await settledState(org.orgId, 'invoice', 'bad')).state).toBe('failed');
    return org;
  };

  /**
   * A connected organisation that works, with two records Xero refused: a member whose name another
   * member's Xero contact holds already (Xero: "The contact name ... is already assigned to another
   * contact"), and an invoice on an archived account (280). Three records synced beside them.
   */
  const orgWithTwoFailedRecords = async () => {
    const org = await connectSandboxOrg(stack, sandbox, { serviceAccounts: { OLD: '280' } });
    const api = apiClient(stack, org.orgId);
    await api.putContact('first-john', { name: 'John Smith', email: 'j.smith@work.example' });
    await api.putContact('m', { name: 'Dorothy Vaughan' });
    expect((await settledState(org.orgId, 'contact', 'first-john')).state).toBe('synced');
    await api.putContact('second-john', { name: 'John Smith', email: 'john@example.com' });
    await api.putInvoices([
      { id: 'good', ...invoice('m', 'G-1') },
      { id: 'bad', ...invoice('m', 'B-1', 'OLD') },
    ]);
    expect((await settledState(org.orgId, 'contact', 'second-john')).state).toBe('failed');
    expect((await settledState(org.orgId, 'invoice', 'good')).state).toBe('synced');
    expect((await settledState(org.orgId, 'invoice', 'bad')).state).toBe('failed');
    return org;
  };

  return {
    get sandbox() {
      return sandbox;
    },
    get stack() {
      return stack;
    },
    admin,
    syncStateOf,
    settledState,
    countInState,
    orgWithOneFailedInvoice,
    orgWithTwoFailedRecords,
  };
}

/**
 * The platform admin's console: every organisation in one table, across organisations by design (the
 * only such query outside housekeeping). One statement: organisations, their connection, and their queue
 * counted per organisation in one pass over `sync_state` (index `sync_state_work_idx` leads with org_id).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { RECENT_PUSH_WINDOW, syncStatuses, type SyncStatus } from '../../lib/sync-status.ts';

/**
 * One word for an organisation's health: the status answer's `sync_status` vocabulary and rules
 * (lib/sync-status.ts), from the database alone (no Temporal query per row), so the workflow-only
 * reasons (a budget wait, a pass that gave up, an admin's pause) show on the organisation's own status only.
 */
export const consoleHealths = syncStatuses;
export type ConsoleHealth = SyncStatus;

export interface ConsoleOrganisationRow {
  orgId: string;
  name: string | null;
  planIncludesIntegrations: boolean;
  connectionStatus: string | null;
  authType: string | null;
  xeroTenantName: string | null;
  tokenExpiresAt: Date | null;
  lastError: string | null;
  health: ConsoleHealth;
  needsAttention: boolean;
  pending: number;
  failed: number;
  lastSyncAt: Date | null;
}

export interface ConsoleQuery {
  /** Matched against the organisation's id and name and the Xero organisation's name. */
  q?: string;
  health?: ConsoleHealth;
  attentionOnly?: boolean;
  limit: number;
  offset: number;
}

export async function listConsoleOrganisations(db: DbOrTx, query: ConsoleQuery): Promise<{ rows: ConsoleOrganisationRow[]; total: number }> {
  const filters: SQL[] = [sql`true`];
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(sql`(r.id ilike ${like} or r.name ilike ${like} or r.xero_tenant_name ilike ${like})`);
  }
  if (query.health) filters.push(sql`r.health = ${query.health}`);
  if (query.attentionOnly) filters.push(sql`r.needs_attention`);
  const rows = await db.execute<Record<string, unknown>>(sql`
    with queue as (
      select org_id,
             count(*) filter (where state = 'pending')::int as pending,
             count(*) filter (where state = 'failed')::int as failed,
             max(synced_at) as last_sync_at
      from sync_state group by org_id
    ), rows as (
      select o.id, o.name, o.plan_includes_integrations, c.status, c.auth_type, c.xero_tenant_name, c.token_expires_at, c.last_error,
             coalesce(q.pending, 0) as pending, coalesce(q.failed, 0) as failed, q.last_sync_at,
             case
               when c.status is null or c.status in ('awaiting_tenant', 'disconnected') then 'disconnected'
               when c.status = 'needs_reauth' then 'needs_reauth'
               when not o.plan_includes_integrations then 'paused'
               when exists (select 1 from xero_contact_limits l where l.org_id = o.id and l.retry_at > now()) then 'degraded'
               when recent.failed * 2 > recent.pushed then 'degraded'
               else 'healthy'
             end as health,
             -- Never null (an organisation with no connection row): null would sort first under "desc".
             (coalesce(c.status in ('needs_reauth', 'awaiting_tenant'), false) or coalesce(q.failed, 0) > 0) as needs_attention
      from organisations o
      left join xero_connections c on c.org_id = o.id
      left join queue q on q.org_id = o.id
      -- "Most recent pushes fail": the same window of the log as the status answer's recent_pushes.
      cross join lateral (
        select count(*)::int as pushed, count(*) filter (where outcome = 'failed')::int as failed
        from (select outcome from sync_log g
              where g.org_id = o.id and g.record_id is not null and g.action in ('push', 'reverse') and g.outcome in ('ok', 'failed')
              order by g.id desc limit ${RECENT_PUSH_WINDOW}) last_pushes
      ) recent
    )
    select r.*, count(*) over () as total from rows r
    where ${sql.join(filters, sql` and `)}
    order by r.needs_attention desc, r.failed desc, r.id
    limit ${query.limit} offset ${query.offset}`);
  return {
    total: rows.length > 0 ? Number(rows[0]!.total) : 0,
    rows: rows.map((r) => ({
      orgId: String(r.id),
      name: (r.name as string | null) ?? null,
      planIncludesIntegrations: r.plan_includes_integrations as boolean,
      connectionStatus: (r.status as string | null) ?? null,
      authType: (r.auth_type as string | null) ?? null,
      xeroTenantName: (r.xero_tenant_name as string | null) ?? null,
      tokenExpiresAt: r.token_expires_at ? new Date(r.token_expires_at as string) : null,
      lastError: (r.last_error as string | null) ?? null,
      health: r.health as ConsoleHealth,
      needsAttention: r.needs_attention as boolean,
      pending: Number(r.pending),
      failed: Number(r.failed),
      lastSyncAt: r.last_sync_at ? new Date(r.last_sync_at as string) : null,
    })),
  };
}

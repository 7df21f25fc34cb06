/**
 * Keeps what the Temporal Web UI shows of the organisation's workflow current: the search attributes
 * `SyncPhase` (the status query's phase), `ConnectionState` and `XeroTenantId`, and the memo's names.
 *
 * Where the connection facts come from: the database is their owner, not this workflow. The code that changes
 * a connection (connect, tenant picked, disconnect, needs re-authorisation; api/sync-lifecycle.ts) reads the
 * row it just wrote and sends the `connection` signal with those small values, so a paused workflow, which runs
 * no activity, still shows the change at once. The drain's `pendingWork` step reads the same row, so a run
 * nobody signalled (started by a wake, or begun before this code) catches up on its next pass; and an
 * activity that finds the connection unusable says which state it found.
 *
 * Each upsert is a history event: only values that changed are upserted, and only once patched
 * ('search-attributes') says this run may issue them (runs of v0.1.0 issued none, and replay as they ran).
 *
 * Workflow code: no I/O.
 */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { patched, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { ConnectionStateAttribute, OrgIdAttribute, SyncPhaseAttribute, XeroTenantIdAttribute, type OrgMemo } from '../search-attributes.ts';
import { PATCHES } from '../patches.ts';
import type { OrgState } from './state.ts';

type Shown = Record<'OrgId' | 'SyncPhase' | 'ConnectionState' | 'XeroTenantId', string | null | undefined>;

const KEYS = { OrgId: OrgIdAttribute, SyncPhase: SyncPhaseAttribute, ConnectionState: ConnectionStateAttribute, XeroTenantId: XeroTenantIdAttribute };

export class OrgVisibility {
  /** What the run's search attributes hold now (set at start, carried across continue-as-new, then upserted). */
  private readonly shown: Shown;
  private readonly memo: OrgMemo;

  constructor(
    private readonly orgId: string,
    private readonly state: OrgState,
  ) {
    const info = workflowInfo();
    const current = (key: keyof typeof KEYS) => info.typedSearchAttributes.get(KEYS[key]);
    this.shown = { OrgId: current('OrgId'), SyncPhase: current('SyncPhase'), ConnectionState: current('ConnectionState'), XeroTenantId: current('XeroTenantId') };
    const memo = (info.memo ?? {}) as OrgMemo;
    this.memo = { organisationName: memo.organisationName, xeroOrganisationName: memo.xeroOrganisationName };
  }

  /** Upserts whatever differs from what is shown; nothing (no command) when nothing does. */
  update(): void {
    const connection = this.state.connection;
    const wanted: Partial<Shown> = { OrgId: this.orgId, SyncPhase: this.state.phase() };
    if (connection) {
      wanted.ConnectionState = connection.state;
      // A tenant id once known stays shown: "this Xero organisation" still finds it after a disconnect.
      if (connection.xeroTenantId) wanted.XeroTenantId = connection.xeroTenantId;
    }
    const changed = (Object.keys(wanted) as Array<keyof Shown>).filter((key) => wanted[key] !== this.shown[key]);
    const memoChanged =
      connection !== undefined &&
      ((connection.organisationName ?? null) !== (this.memo.organisationName ?? null) ||
        (connection.xeroOrganisationName ?? null) !== (this.memo.xeroOrganisationName ?? null));
    if (changed.length === 0 && !memoChanged) return;
    if (!patched(PATCHES.searchAttributes)) return;

    if (changed.length > 0) {
      const pairs = changed.map((key) => ({ key: KEYS[key], value: wanted[key] as string }) satisfies SearchAttributeUpdatePair);
      upsertSearchAttributes(pairs);
      for (const key of changed) this.shown[key] = wanted[key];
    }
    if (memoChanged) {
      this.memo.organisationName = connection.organisationName;
      this.memo.xeroOrganisationName = connection.xeroOrganisationName;
      upsertMemo({ ...this.memo });
    }
  }
}

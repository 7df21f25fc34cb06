/**
 * The organisation workflow's whole state in one object: what work is waiting (a wake, webhook events, a
 * reconciliation request), whether it is paused, and the status the `status` query answers. Its methods are
 * the signal handlers; `snapshot()` is what continue-as-new carries, whole, to the next run.
 *
 * Workflow code: plain data and methods, no I/O.
 */
import type { OrgSyncStatus, SyncPhase } from '../messages.ts';
import type { XeroPacer } from '../pacing/pacer.ts';
import type { ConnectionState, OrgConnectionFacts } from '../search-attributes.ts';

/**
 * What one run hands to the next (and a first run starts from). Versioned data: fields are only ever
 * added, optional, with defaults that keep older inputs meaning what they meant.
 */
export interface OrgStateSnapshot {
  paused?: { reason: string };
  /** New records may be pending. A first run drains once (default true). */
  wakePending?: boolean;
  /** Webhook events may be waiting to be read (default: as `wakePending`). */
  eventsPending?: boolean;
  /** A reconciliation sweep was asked for and has not run yet. */
  reconcilePending?: { trigger: string };
  /** The connection as last told or learnt (shown in the Web UI); absent until then. */
  connection?: OrgConnectionFacts;
  /** A revenue recognition pass was asked for and has not run yet. */
  revenuePending?: RevenueRequest;
}

/** Who asked for a recognition pass, and as of when (absent: as of the pass itself). */
export interface RevenueRequest {
  trigger: string;
  asOf?: string;
}

/** What one pass of the loop will do, taken from the pending flags. */
export interface PassPlan {
  drain: boolean;
  readEvents: boolean;
  sweep?: { trigger: string };
  recognise?: RevenueRequest;
}

export class OrgState {
  private wakePending: boolean;
  private eventsPending: boolean;
  private reconcilePending: { trigger: string } | undefined;
  private revenuePending: RevenueRequest | undefined;
  paused: { reason: string } | undefined;
  readonly status: OrgSyncStatus;
  /** Set once the run has read its pacing configuration; the status shows its budget. */
  pacer: XeroPacer | undefined;
  /** The connection as last told (connection signal) or learnt (an activity's answer). */
  connection: OrgConnectionFacts | undefined;
  /** Called after every change the Web UI shows (phase, pause, connection): the run keeps its search attributes current. */
  onVisibleChange: (() => void) | undefined;

  constructor(orgId: string, snapshot: OrgStateSnapshot = {}) {
    this.wakePending = snapshot.wakePending ?? true;
    this.eventsPending = snapshot.eventsPending ?? this.wakePending;
    this.reconcilePending = snapshot.reconcilePending;
    this.revenuePending = snapshot.revenuePending;
    this.paused = snapshot.paused;
    this.connection = snapshot.connection;
    this.status = { orgId, phase: 'idle', drains: 0, budget: { inFlight: 0 } };
  }

  // --- signal handlers ---

  wake(): void {
    this.wakePending = true;
  }

  xeroEvents(): void {
    this.eventsPending = true;
  }

  pause({ reason }: { reason: string }): void {
    this.paused = { reason };
    this.onVisibleChange?.();
  }

  resume(): void {
    this.paused = undefined;
    this.wakePending = true;
    this.onVisibleChange?.();
  }

  connectionChanged(facts: OrgConnectionFacts): void {
    this.connection = facts;
    this.onVisibleChange?.();
  }

  reconcile({ trigger }: { trigger?: string } = {}): void {
    this.reconcilePending = { trigger: trigger ?? 'manual' };
  }

  /** Several requests before a pass are one pass, as of the latest of them ("as of the pass" is the latest of all). */
  recogniseRevenue({ trigger, asOf }: { trigger?: string; asOf?: string } = {}): void {
    const pending = this.revenuePending;
    let latest = asOf;
    if (pending) latest = asOf === undefined || pending.asOf === undefined ? undefined : Date.parse(asOf) > Date.parse(pending.asOf) ? asOf : pending.asOf;
    this.revenuePending = { trigger: trigger ?? 'manual', ...(latest ? { asOf: latest } : {}) };
  }

  // --- the loop's view ---

  /** Work is waiting and the organisation is not paused. */
  hasWork(): boolean {
    return !this.paused && (this.wakePending || this.eventsPending || this.reconcilePending !== undefined || this.revenuePending !== undefined);
  }

  /** Takes every pending flag for one pass (a flag raised during the pass is the next pass's work). */
  takePass(): PassPlan {
    const plan: PassPlan = { drain: this.wakePending, readEvents: this.eventsPending, sweep: this.reconcilePending };
    if (this.revenuePending) plan.recognise = this.revenuePending;
    this.wakePending = false;
    this.eventsPending = false;
    this.reconcilePending = undefined;
    this.revenuePending = undefined;
    return plan;
  }

  /** Records left pending by this pass (changed mid-push, adopted): drain again. */
  drainAgain(): void {
    this.wakePending = true;
  }

  /** More webhook events wait than one pass reads: read again after pushes had a turn. */
  readEventsAgain(): void {
    this.eventsPending = true;
  }

  /** More months are due than one pass posts: another pass, after the others have had a turn. */
  recogniseAgain(request: RevenueRequest): void {
    this.revenuePending ??= request;
  }

  /** A pass cut short by a pause: what it did not get to is done once the organisation resumes. */
  putBack(plan: PassPlan, done: { readEvents: boolean; swept: boolean; recognised?: boolean }): void {
    if (plan.readEvents && !done.readEvents) this.eventsPending = true;
    if (plan.sweep && !done.swept) this.reconcilePending ??= plan.sweep;
    if (plan.recognise && !done.recognised) this.revenuePending ??= plan.recognise;
  }

  /**
   * What an activity found out about the connection (the database's view at that moment): the workflow
   * learns a state nobody signalled, e.g. a run started before any connection signal.
   */
  learnConnection(facts: OrgConnectionFacts): void {
    this.connection = facts;
    this.onVisibleChange?.();
  }

  /** An activity found the connection unusable (`not_connected`, `needs_reauth`, `disconnected`). */
  learnConnectionState(state: ConnectionState): void {
    const known = this.connection ?? { state, xeroTenantId: null, xeroOrganisationName: null, organisationName: null };
    this.connection = { ...known, state };
    this.onVisibleChange?.();
  }

  setPhase(phase: Exclude<SyncPhase, 'paused'>): void {
    this.status.phase = phase;
    this.onVisibleChange?.();
  }

  /** The phase the status query and the `SyncPhase` search attribute show: paused wins over what the last pass was doing. */
  phase(): SyncPhase {
    return this.paused ? 'paused' : this.status.phase;
  }

  /** The `status` query's answer: paused wins over what the last pass was doing. */
  view(): OrgSyncStatus {
    return {
      ...this.status,
      phase: this.phase(),
      pausedReason: this.paused?.reason,
      budget: this.pacer?.snapshot() ?? this.status.budget,
    };
  }

  snapshot(): OrgStateSnapshot {
    return {
      paused: this.paused,
      wakePending: this.wakePending,
      eventsPending: this.eventsPending,
      reconcilePending: this.reconcilePending,
      connection: this.connection,
      ...(this.revenuePending ? { revenuePending: this.revenuePending } : {}),
    };
  }
}

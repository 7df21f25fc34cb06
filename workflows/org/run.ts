/** What the passes of one organisation workflow run share: its activities, its pacer and its state. */
import type { PacingConfig } from '../pacing/pacer.ts';
import type { XeroPacer } from '../pacing/pacer.ts';
import type { DbStepsProxy, XeroCallsProxy } from './activities.ts';
import type { OrgState } from './state.ts';
import type { XeroTurns } from './turns.ts';

export interface OrgRun {
  orgId: string;
  /** Database steps (main task queue). */
  db: DbStepsProxy;
  /** One Xero call each (the Xero task queue), always run through `pacer`. */
  xero: XeroCallsProxy;
  /** What sets each of `xero`'s calls' priority level by its turn in the pass (absent on runs begun before it). */
  turns?: XeroTurns;
  pacer: XeroPacer;
  config: PacingConfig;
  state: OrgState;
  /** A drain takes no new batch once the history is this long (absent: no limit). */
  historyBudget?: number;
  /** Set by a drain cut short by `historyBudget`: the run hands over to a fresh one. */
  handOverDue?: boolean;
}

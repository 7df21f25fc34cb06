/**
 * What the parts of one organisation's workflow run share: its activities, its pacer, its status, and the
 * run's flags, reached through functions so each part reads and raises them without owning them.
 */
import type { ActivityInterfaceFor } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.ts';
import type { TenantStatus } from '../messages.ts';
import type { Pacer, PacingConfig } from '../pacing.ts';

export interface TenantRun {
  orgId: string;
  /** Database steps (main task queue). */
  steps: ActivityInterfaceFor<Activities>;
  /** One Xero call each (the Xero task queue), always run through `pacer`. */
  xero: ActivityInterfaceFor<Activities>;
  pacer: Pacer;
  config: PacingConfig;
  status: TenantStatus;
  /** Set while the organisation is paused (with why): every part stops starting Xero calls. */
  paused(): { reason: string } | undefined;
  /** Asks for another drain pass after this one (records were re-queued). */
  wakeAgain(): void;
  /** Asks for another read of webhook events after this pass (more are waiting). */
  readEventsAgain(): void;
}

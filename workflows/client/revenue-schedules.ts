/**
 * One Temporal Schedule per connected organisation, `xero-revrec:{orgId}`: on the 1st of each month at 04:mm in
 * the Xero organisation's own time zone (the minute spread across organisations), it asks the organisation's
 * workflow for a revenue recognition pass (workflows/revenue-schedule.ts). 04:00 is safely after midnight, when
 * the month ended there, and clear of daylight-saving changes, which happen between 01:00 and 03:00.
 *
 * Created or unpaused with the organisation's sync, paused when it stops, like the reconciliation schedule.
 * Until the organisation's timezone has been read from Xero (the first pass reads it), the schedule runs on
 * the fallback zone (UTC-12), the last on earth to finish a month: a pass then never comes early, and the pass
 * itself decides which months have ended on the organisation's calendar in any case. A missed run (Temporal
 * down on the 1st) is taken within a week; after that the next month's pass catches the month up.
 *
 * Triggering the schedule (Web UI) runs a pass as of now; a backfill runs one as of each scheduled time.
 */
import { createHash } from 'node:crypto';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleSpec } from '@temporalio/client';
import type { Logger } from '../../config/logger.ts';
import { FALLBACK_ZONE } from '../../lib/xero-timezones.ts';
import { revenueScheduleId } from '../ids.ts';
import type { RevenueScheduleInput } from '../revenue-schedule.ts';
import { OrgIdAttribute } from '../search-attributes.ts';

export interface RevenueSchedules {
  /** Creates the organisation's schedule, or unpauses it (bringing its time zone up to date). */
  ensureRunning(orgId: string): Promise<void>;
  /** Pauses it (no-op when the organisation has none). */
  pause(orgId: string, reason: string): Promise<void>;
  /** Runs it on this zone from now on, paused or not (no-op when the organisation has none). */
  moveToZone(orgId: string, zone: string): Promise<void>;
}

export interface RevenueScheduleOptions {
  /** The organisation workflows' task queue (TEMPORAL_TASK_QUEUE). */
  taskQueue: string;
  logger: Logger;
  /** The organisation's IANA zone as last read from Xero, if known. */
  zoneOf?: (orgId: string) => Promise<string | undefined>;
}

/** The hour of the 1st the pass runs at, local time. */
export const RECOGNITION_HOUR = 4;

/** The minute past RECOGNITION_HOUR this organisation's runs fall at: stable per organisation, spread across them. */
export function recognitionMinute(orgId: string): number {
  return createHash('sha256').update(`revrec:${orgId}`).digest().readUInt32BE(0) % 60;
}

export function revenueScheduleSpec(orgId: string, zone: string): ScheduleSpec {
  return {
    calendars: [{ dayOfMonth: 1, hour: RECOGNITION_HOUR, minute: recognitionMinute(orgId), comment: 'revenue recognition for the month just ended' }],
    timezone: zone,
  };
}

export function createRevenueSchedules(client: Client, { taskQueue, logger, zoneOf }: RevenueScheduleOptions): RevenueSchedules {
  const action = (orgId: string) => ({
    type: 'startWorkflow' as const,
    workflowType: 'xeroRevenueScheduleWorkflow',
    args: [{ orgId } satisfies RevenueScheduleInput],
    taskQueue,
    // Temporal appends the scheduled time, so each run has its own id.
    workflowId: `xero-revrec-run:${orgId}`,
    workflowExecutionTimeout: '10 minutes',
    // The Web UI finds the organisation's passes and schedule by OrgId, like its other workflows.
    typedSearchAttributes: [{ key: OrgIdAttribute, value: orgId }],
  });

  const upToDate = (current: { timezone?: string; calendars?: Array<{ hour: Array<{ start: number }>; minute: Array<{ start: number }> }> }, orgId: string, zone: string) =>
    current.timezone === zone && current.calendars?.[0]?.hour[0]?.start === RECOGNITION_HOUR && current.calendars[0].minute[0]?.start === recognitionMinute(orgId);

  const ensureRunning = async (orgId: string) => {
    const scheduleId = revenueScheduleId(orgId);
    const zone = (await zoneOf?.(orgId)) ?? FALLBACK_ZONE;
    try {
      await client.schedule.create({
        scheduleId,
        spec: revenueScheduleSpec(orgId, zone),
        action: action(orgId),
        // A pass posts every month due, so a skipped or late run only delays; never two at once.
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7 days' },
        state: { note: 'Xero connected: monthly revenue recognition journals' },
        typedSearchAttributes: [{ key: OrgIdAttribute, value: orgId }],
      });
      logger.info({ orgId, scheduleId, zone }, 'revenue recognition schedule created');
      return;
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
    const handle = client.schedule.getHandle(scheduleId);
    const current = await handle.describe();
    // Running is what this call is for, whatever order Temporal applies this update and the unpause in.
    if (!upToDate(current.spec, orgId, zone)) await handle.update((previous) => ({ ...previous, state: { ...previous.state, paused: false }, spec: revenueScheduleSpec(orgId, zone), action: action(orgId) }));
    if (current.state.paused) {
      await handle.unpause('Xero sync resumed');
      logger.info({ orgId, scheduleId }, 'revenue recognition schedule unpaused');
    }
  };

  const pause = async (orgId: string, reason: string) => {
    try {
      await client.schedule.getHandle(revenueScheduleId(orgId)).pause(`Xero sync paused: ${reason}`);
      logger.info({ orgId, reason }, 'revenue recognition schedule paused');
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  };

  const moveToZone = async (orgId: string, zone: string) => {
    const handle = client.schedule.getHandle(revenueScheduleId(orgId));
    try {
      const current = await handle.describe();
      if (upToDate(current.spec, orgId, zone)) return;
      await handle.update((previous) => ({ ...previous, spec: revenueScheduleSpec(orgId, zone) }));
      logger.info({ orgId, zone }, "revenue recognition schedule moved to the organisation's time zone");
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  };

  return { ensureRunning, pause, moveToZone };
}

/**
 * Where the many-organisations benchmark's time went, read from a sample of the organisations' workflow
 * histories: how long workflow tasks waited for a worker and how long they ran, and how long each kind of
 * activity waited in its task queue (schedule to start) and ran. A queue that is the bottleneck shows as a
 * long wait; the Xero queue's wait is the app-wide cap at work.
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { orgWorkflowId } from '../workflows/ids.ts';

const { EventType } = proto.temporal.api.enums.v1;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

const ms = (e: HistoryEvent) => Number(e.eventTime?.seconds ?? 0) * 1000 + Math.round((e.eventTime?.nanos ?? 0) / 1e6);

export async function timelineOf(client: Client, orgIds: string[]): Promise<string[]> {
  const waits = new Map<string, number[]>();
  const add = (name: string, value: number) => waits.set(name, [...(waits.get(name) ?? []), value]);
  for (const orgId of orgIds) {
    const history = await client.workflow.getHandle(orgWorkflowId(orgId)).fetchHistory();
    const byId = new Map<number, HistoryEvent>();
    for (const e of history.events ?? []) {
      byId.set(Number(e.eventId), e);
      if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
        const scheduled = byId.get(Number(e.workflowTaskStartedEventAttributes?.scheduledEventId));
        if (scheduled) add('workflow task: waiting for a worker', ms(e) - ms(scheduled));
      }
      if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
        const started = byId.get(Number(e.workflowTaskCompletedEventAttributes?.startedEventId));
        if (started) add('workflow task: running', ms(e) - ms(started));
      }
      if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        const scheduled = byId.get(Number(e.activityTaskStartedEventAttributes?.scheduledEventId));
        const type = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name;
        if (scheduled && type) add(`${type}: waiting in its queue`, ms(e) - ms(scheduled));
      }
      if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        const scheduled = byId.get(Number(e.activityTaskCompletedEventAttributes?.scheduledEventId));
        const started = byId.get(Number(e.activityTaskCompletedEventAttributes?.startedEventId));
        const type = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name;
        if (started && type) add(`${type}: running`, ms(e) - ms(started));
      }
    }
  }
  const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
  return [...waits].map(([name, values]) => {
    const total = values.reduce((a, b) => a + b, 0);
    return `  ${name.padEnd(44)} ${String(values.length).padStart(5)} x   p50 ${String(pct(values, 50)).padStart(6)} ms   p99 ${String(pct(values, 99)).padStart(6)} ms   total ${(total / 1000).toFixed(1).padStart(7)} s`;
  });
}

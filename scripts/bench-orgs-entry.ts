/**
 * When the many-organisations benchmark's organisations got going, from every organisation's workflow
 * history: when its run started, when its first workflow task ran, when its first Xero call entered the Xero
 * queue and when that call was dispatched, each after the benchmark's clock. If organisations enter the Xero
 * queue over a long stretch while the first ones are already through, the queue has nothing to share out
 * between them, whatever its fairness; these lines say how long that stretch was.
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { orgWorkflowId } from '../workflows/ids.ts';

const { EventType } = proto.temporal.api.enums.v1;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

const ms = (e: HistoryEvent) => Number(e.eventTime?.seconds ?? 0) * 1000 + Math.round((e.eventTime?.nanos ?? 0) / 1e6);

interface Entry {
  started?: number;
  firstTaskStarted?: number;
  firstXeroQueued?: number;
  firstXeroDispatched?: number;
  workflowTasks: number;
}

async function entryOf(client: Client, orgId: string, xeroQueue: string): Promise<Entry> {
  const history = await client.workflow.getHandle(orgWorkflowId(orgId)).fetchHistory();
  const entry: Entry = { workflowTasks: 0 };
  let firstXeroId: number | undefined;
  for (const e of history.events ?? []) {
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) entry.started ??= ms(e);
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
      entry.firstTaskStarted ??= ms(e);
      entry.workflowTasks++;
    }
    if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED && e.activityTaskScheduledEventAttributes?.taskQueue?.name === xeroQueue && firstXeroId === undefined) {
      firstXeroId = Number(e.eventId);
      entry.firstXeroQueued = ms(e);
    }
    if (e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED && firstXeroId !== undefined && Number(e.activityTaskStartedEventAttributes?.scheduledEventId) === firstXeroId) {
      entry.firstXeroDispatched ??= ms(e);
    }
  }
  return entry;
}

/** Printed lines: each moment's spread over every organisation, in seconds after `clockStart`. */
export async function entryTimesOf(client: Client, orgIds: string[], xeroQueue: string, clockStart: number): Promise<string[]> {
  const entries: Entry[] = [];
  for (let i = 0; i < orgIds.length; i += 20) {
    entries.push(...(await Promise.all(orgIds.slice(i, i + 20).map((orgId) => entryOf(client, orgId, xeroQueue)))));
  }
  const line = (name: string, pick: (e: Entry) => number | undefined) => {
    const values = entries.map(pick).filter((v): v is number => v !== undefined).map((v) => (v - clockStart) / 1000).sort((a, b) => a - b);
    if (values.length === 0) return `  ${name.padEnd(44)} none`;
    const at = (p: number) => values[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!.toFixed(1).padStart(6);
    return `  ${name.padEnd(44)} min ${at(0)} s   p10 ${at(10)} s   p50 ${at(50)} s   p90 ${at(90)} s   max ${values[values.length - 1]!.toFixed(1).padStart(6)} s`;
  };
  const tasks = entries.map((e) => e.workflowTasks).sort((a, b) => a - b);
  return [
    line('run started', (e) => e.started),
    line('first workflow task started', (e) => e.firstTaskStarted),
    line('first Xero call queued', (e) => e.firstXeroQueued),
    line('first Xero call dispatched', (e) => e.firstXeroDispatched),
    `  ${'workflow tasks per organisation'.padEnd(44)} min ${tasks[0]}   p50 ${tasks[Math.floor(tasks.length / 2)]}   max ${tasks[tasks.length - 1]}`,
  ];
}

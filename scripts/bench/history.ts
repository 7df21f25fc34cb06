/**
 * What Temporal's own records say about a benchmark's organisation workflow: every run's history length
 * (a run hands over to a fresh one before 10,000 events), and, per batch pushed, where the wall time went
 * between the server and the workers: waiting in the Xero task queue, running, and the workflow task that
 * reacts to the answer and schedules the next call (Temporal's task round trip).
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const EventType = proto.temporal.api.enums.v1.EventType;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

export interface RunHistory {
  runId: string;
  events: number;
}

export interface BatchTimings {
  batches: number;
  /** ActivityTaskScheduled to ActivityTaskStarted: in the task queue until a worker took it. */
  queueMs: number;
  /** ActivityTaskStarted to ActivityTaskCompleted: the activity itself (database, Xero call). */
  runMs: number;
  /** ActivityTaskCompleted to the next WorkflowTaskCompleted: the workflow hears the answer and decides. */
  turnaroundMs: number;
  /** Workflow tasks of the run (each scheduled, started and completed: three events). */
  workflowTasks: number;
  /** Median WorkflowTaskScheduled to WorkflowTaskCompleted. */
  workflowTaskMs: number;
}

const ms = (t: HistoryEvent['eventTime']) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Every run of the workflow, oldest first, with its history length (as the server describes each run). */
export async function runsOf(client: Client, workflowId: string): Promise<RunHistory[]> {
  const runs: Array<RunHistory & { start: number }> = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    // Visibility may not have caught up with a running run's length: describe it.
    const described = await client.workflow.getHandle(workflowId, run.runId).describe();
    runs.push({ runId: run.runId, events: described.historyLength, start: run.startTime.getTime() });
  }
  return runs.sort((a, b) => a.start - b.start).map(({ runId, events }) => ({ runId, events }));
}

/** Medians over the pushBatch activities of some runs of the workflow. */
export async function batchTimings(client: Client, workflowId: string, runIds: string[]): Promise<BatchTimings> {
  const queue: number[] = [];
  const run: number[] = [];
  const turnaround: number[] = [];
  const workflowTask: number[] = [];
  for (const runId of runIds) {
    const events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    const byId = new Map(events.map((e) => [Number(e.eventId), e]));
    // Answers the workflow has not reacted to yet: the next completed workflow task does.
    let unanswered: number[] = [];
    for (const e of events) {
      if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
        const scheduled = byId.get(Number(e.workflowTaskCompletedEventAttributes?.scheduledEventId));
        if (scheduled) workflowTask.push(ms(e.eventTime) - ms(scheduled.eventTime));
        for (const at of unanswered) turnaround.push(ms(e.eventTime) - at);
        unanswered = [];
        continue;
      }
      if (e.eventType !== EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) continue;
      const attributes = e.activityTaskCompletedEventAttributes!;
      const scheduled = byId.get(Number(attributes.scheduledEventId));
      if (scheduled?.activityTaskScheduledEventAttributes?.activityType?.name !== 'pushBatch') continue;
      const started = byId.get(Number(attributes.startedEventId));
      if (started) {
        queue.push(ms(started.eventTime) - ms(scheduled.eventTime));
        run.push(ms(e.eventTime) - ms(started.eventTime));
      }
      unanswered.push(ms(e.eventTime));
    }
  }
  return {
    batches: run.length,
    queueMs: median(queue),
    runMs: median(run),
    turnaroundMs: median(turnaround),
    workflowTasks: workflowTask.length,
    workflowTaskMs: median(workflowTask),
  };
}

/**
 * Where the read-back's time goes, from Temporal's own records of the organisation workflows: per activity
 * type issued after the payments began, how many, how long each waited in its task queue, ran, and how long
 * the workflow took to react to its answer; and how long a signal waited before a workflow task had seen it.
 * `npm run bench:webhook-to-app -- --profile` prints it under the figures.
 */
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { runsOf } from './history.ts';

const EventType = proto.temporal.api.enums.v1.EventType;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

const ms = (t: HistoryEvent['eventTime']) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

interface Samples {
  queue: number[];
  run: number[];
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Lines describing the workflows' activities and signals since `since` (epoch ms). */
export async function readBackProfile(client: Client, workflowIds: string[], since: number): Promise<string[]> {
  const byType = new Map<string, Samples>();
  const signalToTask: number[] = [];
  const workflowTask: number[] = [];
  const workflowTaskQueue: number[] = [];
  const turnaround: number[] = [];
  /** Durable timers fired (the pacer's waits for Xero's minute or day budget): how long each lasted. */
  const timers: number[] = [];
  for (const workflowId of workflowIds) {
    for (const { runId } of await runsOf(client, workflowId)) {
      const events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
      const byId = new Map(events.map((e) => [Number(e.eventId), e]));
      let unanswered: number[] = [];
      let unseenSignals: number[] = [];
      for (const e of events) {
        const at = ms(e.eventTime);
        if (at < since) continue;
        if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) unseenSignals.push(at);
        if (e.eventType === EventType.EVENT_TYPE_TIMER_FIRED) {
          const startedTimer = byId.get(Number(e.timerFiredEventAttributes?.startedEventId));
          if (startedTimer) timers.push(at - ms(startedTimer.eventTime));
        }
        if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
          const scheduled = byId.get(Number(e.workflowTaskCompletedEventAttributes?.scheduledEventId));
          if (scheduled) workflowTask.push(at - ms(scheduled.eventTime));
          const started = byId.get(Number(e.workflowTaskCompletedEventAttributes?.startedEventId));
          if (scheduled && started) workflowTaskQueue.push(ms(started.eventTime) - ms(scheduled.eventTime));
          for (const t of unanswered) turnaround.push(at - t);
          unanswered = [];
          for (const t of unseenSignals) signalToTask.push(at - t);
          unseenSignals = [];
          continue;
        }
        if (e.eventType !== EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) continue;
        const attributes = e.activityTaskCompletedEventAttributes!;
        const scheduled = byId.get(Number(attributes.scheduledEventId));
        const started = byId.get(Number(attributes.startedEventId));
        const type = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
        const samples = byType.get(type) ?? { queue: [], run: [] };
        byType.set(type, samples);
        if (scheduled && started) {
          samples.queue.push(ms(started.eventTime) - ms(scheduled.eventTime));
          samples.run.push(at - ms(started.eventTime));
        }
        unanswered.push(at);
      }
    }
  }
  const f = (v: number[]) => `p50 ${pct(v, 50).toFixed(0)} / p99 ${pct(v, 99).toFixed(0)} ms`;
  const lines = [`profile (Temporal histories since the first payment): signal -> workflow task done ${f(signalToTask)} (${signalToTask.length} signals); workflow task ${f(workflowTask)} (in queue ${f(workflowTaskQueue)}); activity answer -> workflow task done ${f(turnaround)}`];
  lines.push(`  timers fired (pacer waits) ${timers.length}${timers.length ? `, ${f(timers)}` : ''}`);
  for (const [type, s] of [...byType].sort((a, b) => b[1].run.length - a[1].run.length)) {
    lines.push(`  ${type.padEnd(26)} ${String(s.run.length).padStart(5)} x   in queue ${f(s.queue)}   running ${f(s.run)}`);
  }
  return lines;
}

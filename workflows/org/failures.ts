/**
 * How the organisation's workflow reads the failures of its activities. Only `ActivityFailure`s are
 * expected: anything else thrown in workflow code is a bug, and is left to fail the workflow task (Temporal
 * retries the task, and the Web UI shows the stack) rather than being turned into a status line.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { FailureType } from '../constants.ts';

/** The activity failure, or a rethrow of anything that is not one. */
export function expectActivityFailure(err: unknown): ActivityFailure {
  if (err instanceof ActivityFailure) return err;
  throw err;
}

/** The connection needs a person (re-authorise, reconnect, plan): the `ApplicationFailure` saying why, if so. */
export function connectionUnavailable(err: ActivityFailure): { problem: string; message: string } | undefined {
  const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
  if (cause?.type !== FailureType.connectionUnavailable) return undefined;
  const problem = (cause.details?.[0] as { problem?: string } | undefined)?.problem ?? 'needs_reauth';
  return { problem, message: cause.message };
}

export function messageOf(err: ActivityFailure): string {
  return err.cause instanceof Error ? err.cause.message : err.message;
}

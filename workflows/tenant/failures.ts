/** How the organisation's workflow reads the failures of its activities. */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** The error type activities throw when the connection needs a person (re-authorise, reconnect, plan). */
export const CONNECTION_UNAVAILABLE = 'XeroConnectionUnavailable';

export function connectionUnavailable(err: unknown): ApplicationFailure | undefined {
  const failure = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
  return failure?.type === CONNECTION_UNAVAILABLE ? failure : undefined;
}

export function messageOf(err: unknown): string {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * One factory builds every activity, closing over its dependencies. Workflows import only the TYPE
 * `Activities`; the worker registers the values.
 */
import type { ActivityDeps } from './deps.ts';
import { pushPendingContacts } from './push-contacts.ts';

export function createActivities(deps: ActivityDeps) {
  return {
    pushPendingContacts: pushPendingContacts(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { ActivityDeps };

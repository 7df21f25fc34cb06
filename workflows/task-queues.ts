/**
 * Task queue names, defined once. Activities that call Xero run on their own queue, derived from the
 * main one, so that the Temporal server can cap its dispatch rate at Xero's app-wide limit
 * (`maxTaskQueueActivitiesPerSecond`) across every worker.
 */
export function xeroTaskQueue(mainTaskQueue: string): string {
  return `${mainTaskQueue}-xero-api`;
}

/** One long-lived workflow per organisation owns every Xero call for it. */
export function orgWorkflowId(orgId: string): string {
  return `xero-org:${orgId}`;
}

/** One reconciliation schedule per connected organisation (visible, pausable and triggerable in the Web UI). */
export function reconcileScheduleId(orgId: string): string {
  return `xero-reconcile:${orgId}`;
}

/** One revenue recognition schedule per connected organisation: monthly, on the Xero organisation's calendar. */
export function revenueScheduleId(orgId: string): string {
  return `xero-revrec:${orgId}`;
}

/** One workflow per import of existing links ("Migrate"). */
export function linkImportWorkflowId(orgId: string, importId: string): string {
  return `xero-link-import:${orgId}:${importId}`;
}

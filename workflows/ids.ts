/** One long-lived workflow per organisation owns every Xero call for it. */
export function tenantWorkflowId(orgId: string): string {
  return `xero-tenant:${orgId}`;
}

/** One reconciliation schedule per connected organisation (visible, pausable and triggerable in the Web UI). */
export function reconcileScheduleId(orgId: string): string {
  return `xero-reconcile:${orgId}`;
}

/** One long-lived workflow per organisation owns every Xero call for it. */
export function tenantWorkflowId(orgId: string): string {
  return `xero-tenant:${orgId}`;
}

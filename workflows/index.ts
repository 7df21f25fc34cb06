// The worker bundles this file: it exports every workflow and nothing else.
export { xeroTenantWorkflow } from './xero-tenant.ts';
export { xeroReconcileScheduleWorkflow } from './reconcile-schedule.ts';

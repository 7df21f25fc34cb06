// The worker bundles this file: it exports every workflow and nothing else.
export { xeroOrgWorkflow } from './org/xero-org.ts';
export { xeroReconcileScheduleWorkflow } from './reconcile-schedule.ts';
export { xeroRevenueScheduleWorkflow } from './revenue-schedule.ts';
export { xeroLinkImportWorkflow } from './link-import.ts';

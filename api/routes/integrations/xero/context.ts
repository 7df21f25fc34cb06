import type { Logger } from '../../../../config/logger.ts';
import type { Db } from '../../../../db/client.ts';
import type { XeroIntegrationDeps } from './deps.ts';
import type { SyncLifecycle } from '../../../sync-lifecycle.ts';

/** What every integration handler closes over. */
export interface IntegrationContext {
  db: Db;
  logger: Logger;
  xero: XeroIntegrationDeps;
  lifecycle: SyncLifecycle;
}

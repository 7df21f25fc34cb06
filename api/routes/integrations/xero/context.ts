import type { Logger } from '../../../../config/logger.ts';
import type { Db } from '../../../../db/client.ts';
import type { XeroIntegrationDeps } from './deps.ts';
import type { SyncLifecycle } from '../../../sync-lifecycle.ts';
import type { ConsentReturn } from './callback-page.ts';

/** What every integration handler closes over. */
export interface IntegrationContext {
  db: Db;
  logger: Logger;
  xero: XeroIntegrationDeps;
  lifecycle: SyncLifecycle;
  /** The settings page takes the person back to itself after a consent it started. */
  returnToPage?: ConsentReturn;
}

import type { Db } from '../db/client.ts';
import type { Logger } from '../config/logger.ts';
import type { SettingsDefaults } from '../db/queries/settings.ts';
import type { PacingConfig } from '../workflows/pacing/pacer.ts';
import type { XeroClient } from '../xero/client.ts';
import type { PushMetrics } from '../metrics/push.ts';

/** Everything an activity may touch, handed in by the worker (or a test): no module-level singletons. */
export interface ActivityDeps {
  db: Db;
  logger: Logger;
  /** Accounting calls for any organisation: real Xero, or the sandbox. */
  xero: XeroClient;
  settingsDefaults: SettingsDefaults;
  pacing: PacingConfig;
  /** XERO_APPLY_CONTACT_EDITS: copy name and email edits made in Xero onto the platform's contact (default: only record and announce them). */
  applyXeroContactEdits?: boolean;
  /** The worker's counters of pushed and failed records (its registry: `GET /metrics` on the worker). */
  metrics: { push: PushMetrics };
}

/** What the platform-admin routes need beyond the app's own deps, built once from configuration. */
import type { Client } from '@temporalio/client';
import type { Env } from '../../../config/env.ts';
import type { Logger } from '../../../config/logger.ts';
import type { Db } from '../../../db/client.ts';
import type { SettingsDefaults } from '../../../db/queries/settings.ts';
import { BATCH_SIZE } from '../../../workflows/constants.ts';
import type { OrgWorkflows } from '../../../workflows/client/org-workflows.ts';

/** The organisation workflow's pace, as a resync's ETA sees it: batches per Xero minute. */
export interface ResyncPacing {
  /** Xero's per-organisation calls per minute (XERO_MINUTE_LIMIT). */
  callsPerWindow: number;
  /** Xero's minute (XERO_RATE_WINDOW_MS; shorter only against a time-scaled sandbox). */
  windowMs: number;
  /** Records per Xero call. */
  batchSize: number;
}

export interface XeroAdminDeps {
  pacing: ResyncPacing;
  /**
   * How long a request waits for Temporal (the status query, a wake) before answering without it: the
   * database is the truth, and a workflow with no worker polling would otherwise hold the query open.
   */
  temporalTimeoutMs: number;
  /** How many errors the status lists. */
  errorLimit: number;
}

export interface AdminContext {
  db: Db;
  temporal: Client;
  workflows: OrgWorkflows;
  logger: Logger;
  admin: XeroAdminDeps;
  /** Deployment defaults, for the organisation's effective settings. */
  settingsDefaults: SettingsDefaults;
}

export function xeroAdminFromEnv(env: Env): XeroAdminDeps {
  return {
    pacing: { callsPerWindow: env.XERO_MINUTE_LIMIT, windowMs: env.XERO_RATE_WINDOW_MS, batchSize: BATCH_SIZE },
    temporalTimeoutMs: 2_000,
    errorLimit: 20,
  };
}

/** Named in `#/components/schemas`: answers several routes share. */
import type { z } from 'zod';
import { integrationCardSchema } from '../../routes/integrations/xero/card.ts';
import { batchAcceptedSchema, problemSchema, recordViewSchema, syncStateSchema } from './common.ts';
import { statusReportSchema } from './admin.ts';

export const components = {
  Problem: problemSchema,
  SyncState: syncStateSchema,
  Record: recordViewSchema,
  BatchAccepted: batchAcceptedSchema,
  IntegrationCard: integrationCardSchema,
  SyncStatusReport: statusReportSchema,
} satisfies Record<string, z.ZodType>;

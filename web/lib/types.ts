/**
 * What the pages send and receive, as types taken from the API's own schemas and handlers (type-only
 * imports: nothing of the server is bundled).
 */
import type { z } from 'zod';
import type { settingsBody, SettingsAnswer } from '../../api/routes/integrations/xero/settings.ts';
import type { mappingsBody } from '../../api/routes/integrations/xero/mappings.ts';
import type { connectBody } from '../../api/routes/integrations/xero/connect.ts';
import type { pickBody } from '../../api/routes/integrations/xero/tenants.ts';
import type { retryBody } from '../../api/routes/admin/retry.ts';
import type { resyncBody } from '../../api/routes/admin/resync.ts';
import type { consoleListQuery } from '../../api/routes/admin/organisations.ts';

export type { IntegrationCard } from '../../api/routes/integrations/xero/card.ts';
export type { StartedConsent } from '../../api/routes/integrations/xero/consent.ts';
export type { CheckResult } from '../../api/routes/integrations/xero/test-connection.ts';
export type { RemovalAtXero } from '../../api/routes/integrations/xero/disconnect.ts';
export type { XeroChoices } from '../../api/routes/integrations/xero/choices.ts';
export type { SetupAnswer } from '../../api/routes/integrations/xero/setup.ts';
export type { ConsoleListAnswer } from '../../api/routes/admin/organisations.ts';
export type { ResyncPreviewAnswer } from '../../api/routes/admin/resync-preview.ts';
export type { StatusAnswer, TenantsAnswer, LogsAnswer } from '../../api/ui/contracts.ts';
export type { PageBoot } from '../../api/ui/boot.ts';
export type { OrgMappings } from '../../db/queries/settings.ts';
export type { SettingsAnswer };

export type SettingsInput = z.input<typeof settingsBody>;
/**
 * Announced for the settings route (contact matching: `null` = deployment default); sent only when the
 * deployment's settings answer has the field, so an older API never sees an unknown key.
 */
export const contactMatchings = ['create_only', 'email', 'email_then_name'] as const;
export type SettingsChange = SettingsInput & { contactMatching?: (typeof contactMatchings)[number] | null };
export type MappingsInput = z.input<typeof mappingsBody>;
export type ConnectInput = z.input<typeof connectBody>;
export type PickInput = z.input<typeof pickBody>;
export type RetryInput = z.input<typeof retryBody>;
export type ResyncInput = z.input<typeof resyncBody>;
export type ConsoleListQuery = z.input<typeof consoleListQuery>;

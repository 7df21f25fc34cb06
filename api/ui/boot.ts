/**
 * Shared by the server and the pages' scripts (so: no server imports here, types aside).
 *
 * What a page's script is handed by the server, in a JSON script element (never executed, so the strict
 * CSP allows it): who is signed in, the CSRF token, the organisation, and a one-time message.
 */
import type { UiFlash, UiRole } from '../../db/schema/index.ts';

export type PageName = 'settings' | 'console';

export interface PageBoot {
  page: PageName;
  /** The client admin's organisation; in the console, the organisation opened (or null for the list). */
  orgId: string | null;
  csrfToken: string;
  person: { subject: string; name: string | null; role: UiRole };
  sessionExpiresAt: string;
  flash: UiFlash | null;
  /** The Temporal Web UI, for the console's link to an organisation's workflows (TEMPORAL_UI_URL). */
  temporal: { uiUrl: string | null; namespace: string };
}

export const BOOT_ELEMENT_ID = 'page-boot';

/** The header a page's changes carry the session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

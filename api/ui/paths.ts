/** Where the pages live. The client admin's page is the product's own "Settings > Integrations > Xero". */
export const SETTINGS_PAGE = '/settings/integrations/xero';
export const CONSOLE_PAGE = '/admin/integrations/xero';
export const SIGN_IN_PATH = '/ui/sign-in';
export const SIGN_OUT_PATH = '/ui/sign-out';
export const SIGNED_OUT_PATH = '/ui/signed-out';
export const ASSETS_PATH = '/ui/assets';

/** The console page of one organisation. */
export const consoleOrgPage = (orgId: string) => `${CONSOLE_PAGE}/${encodeURIComponent(orgId)}`;

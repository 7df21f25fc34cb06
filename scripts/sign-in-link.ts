/**
 * `npm run sign-in -- [client_admin [orgId] | platform_admin]`: a fresh single-use sign-in link for the
 * settings page (default: client admin of demo-org) or the console, from the API that `npm run dev` runs
 * (API_URL, else http://127.0.0.1:API_PORT), signed with API_JWT_SECRET or the dev secret.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDevSecrets } from './dev-secrets.ts';
import { requestSignInLink } from './ui-sign-in.ts';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));
const [role = 'client_admin', orgId = 'demo-org'] = process.argv.slice(2);
if (role !== 'client_admin' && role !== 'platform_admin') {
  console.error('usage: npm run sign-in -- [client_admin [orgId] | platform_admin]');
  process.exit(2);
}
const secret = process.env.API_JWT_SECRET || ensureDevSecrets(resolve(process.env.DEV_DATA_DIR || join(root, '.data'))).API_JWT_SECRET;
const apiUrl = process.env.API_URL || `http://${process.env.API_HOST || '127.0.0.1'}:${process.env.API_PORT || 3000}`;
try {
  const link = await requestSignInLink(apiUrl, secret, role === 'client_admin' ? { role, orgId } : { role });
  console.log(`${link.url}\n(single use, valid until ${link.expiresAt})`);
} catch (err) {
  console.error(`${err instanceof Error ? err.message : String(err)} (is npm run dev running at ${apiUrl}?)`);
  process.exit(1);
}

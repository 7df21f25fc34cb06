/**
 * `npm run token -- <role> [orgId]`: prints a bearer token for local use, signed with API_JWT_SECRET
 * (or the dev secret `npm run dev` generated).
 */
import { roles, type Role } from '../api/auth.ts';
import { ensureDevSecrets } from './dev-secrets.ts';
import { mintToken } from './dev-token.ts';

const [role, orgId] = process.argv.slice(2);
if (!role || !(roles as readonly string[]).includes(role) || (role !== 'platform_admin' && !orgId)) {
  console.error(`usage: npm run token -- <${roles.join('|')}> [orgId]   (orgId required except for platform_admin)`);
  process.exit(2);
}
const secret = process.env.API_JWT_SECRET ?? ensureDevSecrets('.data').API_JWT_SECRET;
console.log(await mintToken(secret, { role: role as Role, orgId }));

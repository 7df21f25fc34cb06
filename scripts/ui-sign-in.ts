/**
 * Asks the running API for a sign-in link, as the main app does: the organisation's `service` token for
 * a client admin, a platform admin's token for the console. Used by `npm run dev`, `npm run sign-in` and
 * the screenshot script.
 */
import { mintToken } from './dev-token.ts';

export type SignInWho = { role: 'client_admin'; orgId: string; name?: string } | { role: 'platform_admin'; name?: string; returnTo?: string };

export async function requestSignInLink(apiUrl: string, jwtSecret: string, who: SignInWho): Promise<{ url: string; expiresAt: string }> {
  const [path, token, body] =
    who.role === 'client_admin'
      ? [`/api/orgs/${encodeURIComponent(who.orgId)}/ui-sessions`, await mintToken(jwtSecret, { role: 'service', orgId: who.orgId, sub: 'dev-main-app' }, '5m'), { role: 'client_admin', subject: 'dev-client-admin', name: who.name ?? 'Demo admin' }]
      : ['/api/admin/ui-sessions', await mintToken(jwtSecret, { role: 'platform_admin', sub: 'dev-admin' }, '5m'), { role: 'platform_admin', subject: 'dev-admin', name: who.name ?? 'Platform admin', ...(who.returnTo ? { returnTo: who.returnTo } : {}) }];
  const res = await fetch(`${apiUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await res.json()) as { url: string; expiresAt: string; detail?: string };
  if (res.status !== 201) throw new Error(`the API refused a sign-in link (${res.status}): ${answer.detail ?? JSON.stringify(answer)}`);
  return answer;
}

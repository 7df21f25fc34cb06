/**
 * Consents, codes and tokens: the rules of Xero's identity service.
 *
 * - An authorisation code is single-use, short-lived (5 minutes) and bound to its redirect URI and PKCE challenge.
 * - Access tokens live 30 minutes. A refresh returns a NEW refresh token; the one used keeps working for a
 *   30-minute grace period, then `invalid_grant`. A refresh token never used expires after 60 days.
 * - A custom connection (client credentials) is bound to one organisation and gets no refresh token.
 * All durations are Xero time, shrunk by the sandbox's time scale.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { DAY, MINUTE } from '../clock.ts';
import type { SandboxStore } from '../store.ts';
import { signJwt } from './jwt.ts';
import type { AccessToken, ClientApp, Connection, Grant } from './records.ts';
import { ALL_ACCOUNTING_SCOPES } from './scopes.ts';

export const ACCESS_TOKEN_LIFETIME = 30 * MINUTE;
export const REFRESH_TOKEN_LIFETIME = 60 * DAY;
export const REFRESH_GRACE = 30 * MINUTE;
export const CODE_LIFETIME = 5 * MINUTE;

/** An OAuth error answer: `{"error": "..."}` with its HTTP status. */
export class OAuthError extends Error {
  constructor(readonly error: string, readonly status = 400, readonly description?: string) {
    super(description ?? error);
  }
}

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
  refresh_token?: string;
  scope: string;
  id_token?: string;
}

const opaque = () => randomBytes(32).toString('hex');

/** Constant-time comparison of secrets. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function authenticateClient(store: SandboxStore, clientId: string | undefined, clientSecret: string | undefined): ClientApp {
  const client = clientId ? store.clients.get(clientId) : undefined;
  if (!client) throw new OAuthError('invalid_client');
  // A PKCE-only app has no secret.
  if (client.clientSecret !== '' && !sameSecret(client.clientSecret, clientSecret ?? '')) throw new OAuthError('invalid_client');
  return client;
}

export interface ApprovalInput {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  tenantIds: string[];
  userId?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  nonce?: string;
}

/** A user approves an app for some organisations: connections are made and a code is issued. */
export function approve(store: SandboxStore, input: ApprovalInput): { code: string; authEventId: string } {
  const now = store.clock.now();
  const userId = input.userId ?? 'sandbox-user';
  const authEventId = randomUUID();
  const grant: Grant = { authEventId, clientId: input.clientId, userId, scopes: input.scopes, kind: 'authorization_code', revoked: false };
  store.grants.set(authEventId, grant);
  for (const tenantId of input.tenantIds) {
    const existing = [...store.connections.values()].find((c) => c.clientId === input.clientId && c.userId === userId && c.tenantId === tenantId);
    if (existing) {
      // Reconnecting keeps the connection id and moves it to the new consent.
      existing.authEventId = authEventId;
      existing.updatedAt = now;
    } else {
      const connection: Connection = { id: randomUUID(), clientId: input.clientId, userId, tenantId, authEventId, createdAt: now, updatedAt: now };
      store.connections.set(connection.id, connection);
    }
  }
  const code = opaque();
  store.codes.set(code, {
    code,
    clientId: input.clientId,
    redirectUri: input.redirectUri,
    scopes: input.scopes,
    userId,
    authEventId,
    codeChallenge: input.codeChallenge,
    codeChallengeMethod: input.codeChallenge ? (input.codeChallengeMethod ?? 'plain') : undefined,
    nonce: input.nonce,
    expiresAt: now + store.clock.scaled(CODE_LIFETIME),
    used: false,
  });
  return { code, authEventId };
}

function expiresIn(store: SandboxStore, xeroMs: number): number {
  return Math.max(1, Math.round(store.clock.scaled(xeroMs) / 1000));
}

function issueTokens(store: SandboxStore, grant: Grant, withRefresh: boolean, nonce?: string): TokenResponse {
  const now = store.clock.now();
  const exp = now + store.clock.scaled(ACCESS_TOKEN_LIFETIME);
  const jti = randomUUID();
  const access = signJwt({
    nbf: Math.floor(now / 1000),
    exp: Math.ceil(exp / 1000),
    iss: store.baseUrl,
    aud: `${store.baseUrl}/resources`,
    client_id: grant.clientId,
    sub: grant.userId,
    auth_time: Math.floor(now / 1000),
    xero_userid: grant.userId,
    global_session_id: grant.authEventId,
    jti,
    authentication_event_id: grant.authEventId,
    scope: grant.scopes,
  }, store.signingSecret);
  const record: AccessToken = { token: access, authEventId: grant.authEventId, clientId: grant.clientId, scopes: grant.scopes, expiresAt: exp };
  store.accessTokens.set(access, record);
  store.onSecretIssued?.('access_token', access);
  const response: TokenResponse = { access_token: access, expires_in: expiresIn(store, ACCESS_TOKEN_LIFETIME), token_type: 'Bearer', scope: grant.scopes.join(' ') };
  if (withRefresh && grant.scopes.includes('offline_access')) {
    const refresh = opaque();
    store.refreshTokens.set(refresh, {
      token: refresh, authEventId: grant.authEventId, clientId: grant.clientId, scopes: grant.scopes,
      expiresAt: now + store.clock.scaled(REFRESH_TOKEN_LIFETIME),
    });
    response.refresh_token = refresh;
    store.onSecretIssued?.('refresh_token', refresh);
  }
  if (grant.scopes.includes('openid')) {
    const client = store.clients.get(grant.clientId);
    response.id_token = signJwt({
      nbf: Math.floor(now / 1000), exp: Math.ceil(exp / 1000), iss: store.baseUrl, aud: grant.clientId, iat: Math.floor(now / 1000),
      sub: grant.userId, auth_time: Math.floor(now / 1000), xero_userid: grant.userId, global_session_id: grant.authEventId,
      sid: grant.authEventId, preferred_username: `${grant.userId}@sandbox.invalid`, email: `${grant.userId}@sandbox.invalid`,
      given_name: 'Sandbox', family_name: 'User', name: 'Sandbox User', ...(nonce ? { nonce } : {}),
    }, client?.clientSecret || store.signingSecret);
  }
  if (response.id_token) store.onSecretIssued?.('id_token', response.id_token);
  return response;
}

function pkceMatches(challenge: string, method: 'S256' | 'plain', verifier: string | undefined): boolean {
  if (!verifier) return false;
  const computed = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return sameSecret(computed, challenge);
}

export function exchangeCode(store: SandboxStore, client: ClientApp, params: { code?: string; redirectUri?: string; codeVerifier?: string }): TokenResponse {
  const record = params.code ? store.codes.get(params.code) : undefined;
  const now = store.clock.now();
  if (!record || record.clientId !== client.clientId || record.used || now >= record.expiresAt) throw new OAuthError('invalid_grant');
  // The code is spent whatever happens next: a second try with the same code is invalid_grant.
  record.used = true;
  if (record.redirectUri !== params.redirectUri) throw new OAuthError('invalid_grant');
  if (record.codeChallenge && !pkceMatches(record.codeChallenge, record.codeChallengeMethod ?? 'plain', params.codeVerifier)) throw new OAuthError('invalid_grant');
  const grant = store.grants.get(record.authEventId);
  if (!grant || grant.revoked) throw new OAuthError('invalid_grant');
  store.counters.tokens.authorizationCode += 1;
  return issueTokens(store, grant, true, record.nonce);
}

export function refresh(store: SandboxStore, client: ClientApp, refreshToken: string | undefined): TokenResponse {
  const record = refreshToken ? store.refreshTokens.get(refreshToken) : undefined;
  const now = store.clock.now();
  const grant = record ? store.grants.get(record.authEventId) : undefined;
  const invalid =
    !record || !grant || grant.revoked || record.clientId !== client.clientId || now >= record.expiresAt ||
    (record.supersededAt !== undefined && now >= record.supersededAt + store.clock.scaled(REFRESH_GRACE));
  if (invalid) {
    store.counters.tokens.invalidGrant += 1;
    throw new OAuthError('invalid_grant');
  }
  record!.supersededAt ??= now;
  store.counters.tokens.refreshed += 1;
  return issueTokens(store, grant!, true);
}

/** Custom connection: one organisation, no refresh token. */
export function clientCredentials(store: SandboxStore, client: ClientApp, requestedScopes: string[]): TokenResponse {
  if (client.kind !== 'custom') throw new OAuthError('unauthorized_client');
  const tenantId = client.tenantIds?.[0];
  if (!tenantId || !store.books.has(tenantId)) throw new OAuthError('invalid_request', 400, 'The custom connection is not connected to an organisation');
  const allowed = client.scopes ?? ALL_ACCOUNTING_SCOPES;
  if (requestedScopes.some((s) => !allowed.includes(s))) throw new OAuthError('invalid_scope');
  const scopes = requestedScopes.length > 0 ? requestedScopes : allowed;
  const authEventId = `cc-${client.clientId}`;
  let grant = store.grants.get(authEventId);
  if (!grant) {
    grant = { authEventId, clientId: client.clientId, userId: `custom-${client.clientId}`, scopes, kind: 'client_credentials', tenantId, revoked: false };
    store.grants.set(authEventId, grant);
    const now = store.clock.now();
    const connection: Connection = { id: randomUUID(), clientId: client.clientId, userId: grant.userId, tenantId, authEventId, createdAt: now, updatedAt: now };
    store.connections.set(connection.id, connection);
  }
  grant.scopes = scopes;
  store.counters.tokens.clientCredentials += 1;
  return issueTokens(store, grant, false);
}

/** Revoking a refresh token ends the consent: its tokens stop working and its connections go. */
export function revoke(store: SandboxStore, client: ClientApp, token: string | undefined): void {
  const record = token ? store.refreshTokens.get(token) : undefined;
  if (!record || record.clientId !== client.clientId) return; // RFC 7009: unknown tokens are not an error
  const grant = store.grants.get(record.authEventId);
  if (grant) grant.revoked = true;
  for (const [key, t] of store.refreshTokens) if (t.authEventId === record.authEventId) store.refreshTokens.delete(key);
  for (const [key, t] of store.accessTokens) if (t.authEventId === record.authEventId) store.accessTokens.delete(key);
  for (const [key, c] of store.connections) if (c.authEventId === record.authEventId) store.connections.delete(key);
  store.counters.tokens.revoked += 1;
}

export type BearerCheck =
  | { ok: true; token: AccessToken; grant: Grant }
  | { ok: false; reason: 'missing' | 'invalid' | 'expired'; expiredAt?: number };

export function checkBearer(store: SandboxStore, authorization: string | undefined): BearerCheck {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return { ok: false, reason: 'missing' };
  const token = store.accessTokens.get(match[1]!);
  const grant = token ? store.grants.get(token.authEventId) : undefined;
  if (!token || !grant || grant.revoked) return { ok: false, reason: 'invalid' };
  if (store.clock.now() >= token.expiresAt) return { ok: false, reason: 'expired', expiredAt: token.expiresAt };
  return { ok: true, token, grant };
}

/** The organisations a token may act on. */
export function connectionsOf(store: SandboxStore, grant: Grant): Connection[] {
  return [...store.connections.values()].filter((c) => c.clientId === grant.clientId && c.userId === grant.userId);
}

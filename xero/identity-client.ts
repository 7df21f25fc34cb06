/**
 * Xero's identity service (token, revocation) and the connections endpoint, over plain HTTP with
 * configurable base URLs: xero-node hard-codes these hosts, and we must be able to point them at the
 * sandbox or any Xero-compatible server.
 */

export interface XeroEndpoints {
  /** e.g. https://api.xero.com (connections under /connections) */
  apiUrl: string;
  /** e.g. https://identity.xero.com (/connect/token, /connect/revocation) */
  identityUrl: string;
  /** e.g. https://login.xero.com (/identity/connect/authorize) */
  loginUrl: string;
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Absolute expiry of the access token. */
  expiresAt: Date;
  scope?: string;
  idToken?: string;
}

export interface XeroTenantConnection {
  id: string;
  authEventId?: string;
  tenantId: string;
  tenantType: string;
  tenantName?: string;
}

/** An OAuth error from the identity service (`invalid_grant`, `invalid_client`, ...). */
export class XeroIdentityError extends Error {
  override name = 'XeroIdentityError';
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description?: string,
  ) {
    super(`Xero identity service answered ${status} ${error}${description ? `: ${description}` : ''}`);
  }
  /** The grant is gone (expired, rotated away, revoked) or the credentials are wrong: only a person can fix it. */
  get needsReauthorisation(): boolean {
    return this.error === 'invalid_grant' || this.error === 'invalid_client' || this.error === 'unauthorized_client';
  }
}

export interface XeroIdentityClient {
  exchangeCode(args: ClientCredentials & { code: string; redirectUri: string; codeVerifier?: string }): Promise<TokenSet>;
  refresh(args: ClientCredentials & { refreshToken: string }): Promise<TokenSet>;
  clientCredentials(args: ClientCredentials & { scope?: string }): Promise<TokenSet>;
  revoke(args: ClientCredentials & { refreshToken: string }): Promise<void>;
  listConnections(accessToken: string): Promise<XeroTenantConnection[]>;
  deleteConnection(accessToken: string, connectionId: string): Promise<void>;
}

const TIMEOUT_MS = 15_000;

export function createXeroIdentityClient(endpoints: XeroEndpoints, fetchImpl: typeof fetch = fetch): XeroIdentityClient {
  const identity = endpoints.identityUrl.replace(/\/+$/, '');
  const api = endpoints.apiUrl.replace(/\/+$/, '');

  const tokenRequest = async (credentials: ClientCredentials, form: Record<string, string>): Promise<TokenSet> => {
    const response = await fetchImpl(`${identity}/connect/token`, {
      method: 'POST',
      headers: {
        authorization: basicAuth(credentials),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      throw new XeroIdentityError(response.status, String(body.error ?? `http_${response.status}`), body.error_description as string | undefined);
    }
    // A 200 without a token (a proxy's error page, a misconfigured base URL) must not become the string "undefined".
    if (typeof body.access_token !== 'string' || !body.access_token) throw new XeroIdentityError(502, 'invalid_token_response', 'no access_token in the answer');
    const expiresIn = Number(body.expires_in ?? 1800);
    return {
      accessToken: String(body.access_token),
      refreshToken: body.refresh_token ? String(body.refresh_token) : undefined,
      expiresAt: new Date(Date.now() + expiresIn * 1000),
      scope: body.scope ? String(body.scope) : undefined,
      idToken: body.id_token ? String(body.id_token) : undefined,
    };
  };

  return {
    exchangeCode: ({ code, redirectUri, codeVerifier, ...credentials }) =>
      tokenRequest(credentials, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        ...(codeVerifier ? { code_verifier: codeVerifier } : {}),
      }),
    refresh: ({ refreshToken, ...credentials }) => tokenRequest(credentials, { grant_type: 'refresh_token', refresh_token: refreshToken }),
    // Custom connections: no scope by default (Xero grants what the connection was set up with).
    clientCredentials: ({ scope, ...credentials }) =>
      tokenRequest(credentials, { grant_type: 'client_credentials', ...(scope ? { scope } : {}) }),
    async revoke({ refreshToken, ...credentials }) {
      const response = await fetchImpl(`${identity}/connect/revocation`, {
        method: 'POST',
        headers: { authorization: basicAuth(credentials), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: refreshToken }).toString(),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!response.ok) throw new XeroIdentityError(response.status, `http_${response.status}`);
    },
    async listConnections(accessToken) {
      const response = await fetchImpl(`${api}/connections`, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!response.ok) throw new XeroIdentityError(response.status, `http_${response.status}`, 'GET /connections failed');
      const rows = (await response.json()) as Array<Record<string, unknown>>;
      return rows.map((r) => ({
        id: String(r.id),
        authEventId: r.authEventId ? String(r.authEventId) : undefined,
        tenantId: String(r.tenantId),
        tenantType: String(r.tenantType ?? 'ORGANISATION'),
        tenantName: r.tenantName ? String(r.tenantName) : undefined,
      }));
    },
    async deleteConnection(accessToken, connectionId) {
      const response = await fetchImpl(`${api}/connections/${encodeURIComponent(connectionId)}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${accessToken}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      // Already gone at Xero is the outcome we wanted.
      if (!response.ok && response.status !== 404) throw new XeroIdentityError(response.status, `http_${response.status}`, 'DELETE /connections failed');
    },
  };
}

/** Xero's consent page for an auth-code grant with PKCE (S256): where the admin's browser is sent. */
export function consentUrl(
  loginUrl: string,
  args: { clientId: string; redirectUri: string; scope: string; state: string; codeChallenge: string },
): string {
  const url = new URL(`${loginUrl.replace(/\/+$/, '')}/identity/connect/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: args.clientId,
    redirect_uri: args.redirectUri,
    scope: args.scope,
    state: args.state,
    code_challenge: args.codeChallenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

function basicAuth({ clientId, clientSecret }: ClientCredentials): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
}

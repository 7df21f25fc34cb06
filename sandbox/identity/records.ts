/** What the identity side keeps: registered apps, consents (grants), codes, tokens and connections. */

export interface ClientApp {
  clientId: string;
  clientSecret: string;
  /** "web": authorization-code app; "custom": a custom connection bound to one organisation. */
  kind: 'web' | 'custom';
  name: string;
  /** web: organisations the user may pick (all when absent). custom: exactly one. */
  tenantIds?: string[];
  /** Registered redirect URIs; when absent any redirect URI is accepted. */
  redirectUris?: string[];
  /** Scopes a custom connection was granted (all Accounting scopes when absent). */
  scopes?: string[];
}

/** One consent: a user approving an app for some organisations (Xero's "auth event"). */
export interface Grant {
  authEventId: string;
  clientId: string;
  userId: string;
  scopes: string[];
  kind: 'authorization_code' | 'client_credentials';
  /** Custom connections only: the organisation the token acts on. */
  tenantId?: string;
  revoked: boolean;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  userId: string;
  authEventId: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  nonce?: string;
  expiresAt: number;
  used: boolean;
}

export interface AccessToken {
  token: string;
  authEventId: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

export interface RefreshToken {
  token: string;
  authEventId: string;
  clientId: string;
  scopes: string[];
  /** An unused refresh token expires (Xero: 60 days). */
  expiresAt: number;
  /** Set when it was exchanged: it keeps working for the grace period after that. */
  supersededAt?: number;
}

export interface Connection {
  id: string;
  clientId: string;
  userId: string;
  tenantId: string;
  authEventId: string;
  createdAt: number;
  updatedAt: number;
}

/**
 * How an activity gets a working Xero access token for an organisation. Implemented by the
 * connections module (xero/token-provider.ts); the Xero client depends only on this interface.
 */

export interface XeroAccess {
  accessToken: string;
  /** The Xero organisation ("tenant") id; sent as `xero-tenant-id`. */
  tenantId: string;
  /** What Xero granted (its token answer's `scope`); absent when it never said. */
  scopes?: string[];
}

export interface XeroAccessProvider {
  /**
   * A valid access token for the organisation's connection, refreshed ahead of expiry (once, under a
   * row lock, across every worker). Throws XeroConnectionUnavailable when there is nothing to use.
   */
  forOrg(orgId: string): Promise<XeroAccess>;
  /**
   * Xero answered 401 to `rejectedToken`: refresh (unless another caller already did) and return the
   * new access; on `invalid_grant` or revocation marks the connection `needs_reauth` and throws.
   */
  afterUnauthorized(orgId: string, rejectedToken: string): Promise<XeroAccess>;
}

export type ConnectionProblem = 'not_connected' | 'needs_reauth' | 'disconnected' | 'plan_required';

/** The organisation cannot reach Xero until a person acts; retrying will not help. */
export class XeroConnectionUnavailable extends Error {
  override name = 'XeroConnectionUnavailable';
  constructor(
    readonly problem: ConnectionProblem,
    message: string,
  ) {
    super(message);
  }
}

export const REAUTH_MESSAGE = 'Xero authorisation expired or was revoked: reconnect in Settings > Integrations > Xero';

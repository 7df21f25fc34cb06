/** POST /connect/token and POST /connect/revocation (form-encoded, client auth by Basic or body). */
import express, { type Request, type Response, type Router } from 'express';
import type { SandboxStore } from '../store.ts';
import { authenticateClient, clientCredentials, exchangeCode, OAuthError, refresh, revoke } from './grants.ts';
import { parseScopes } from './scopes.ts';

function clientAuth(req: Request): { clientId?: string; clientSecret?: string } {
  const header = req.get('authorization');
  const basic = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) {
      return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
    }
  }
  const body = (req.body ?? {}) as Record<string, string | undefined>;
  return { clientId: body['client_id'], clientSecret: body['client_secret'] };
}

function sendOAuthError(res: Response, error: unknown): void {
  if (error instanceof OAuthError) {
    res.status(error.status).set('Cache-Control', 'no-store').json(error.description ? { error: error.error, error_description: error.description } : { error: error.error });
    return;
  }
  throw error;
}

export function tokenRouter(store: SandboxStore): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '64kb' }));

  router.post('/connect/token', (req, res) => {
    try {
      const body = (req.body ?? {}) as Record<string, string | undefined>;
      const { clientId, clientSecret } = clientAuth(req);
      const client = authenticateClient(store, clientId, clientSecret);
      let tokens;
      switch (body['grant_type']) {
        case 'authorization_code':
          tokens = exchangeCode(store, client, { code: body['code'], redirectUri: body['redirect_uri'], codeVerifier: body['code_verifier'] });
          break;
        case 'refresh_token':
          tokens = refresh(store, client, body['refresh_token']);
          break;
        case 'client_credentials':
          tokens = clientCredentials(store, client, parseScopes(body['scope']));
          break;
        default:
          throw new OAuthError('unsupported_grant_type');
      }
      res.status(200).set('Cache-Control', 'no-store').json(tokens);
    } catch (error) {
      sendOAuthError(res, error);
    }
  });

  router.post('/connect/revocation', (req, res) => {
    try {
      const { clientId, clientSecret } = clientAuth(req);
      const client = authenticateClient(store, clientId, clientSecret);
      revoke(store, client, (req.body as Record<string, string | undefined>)['token']);
      res.status(200).end();
    } catch (error) {
      sendOAuthError(res, error);
    }
  });
  return router;
}

/** GET /connections and DELETE /connections/{id}: the organisations the bearer's user connected to this app. */
import express, { type Request, type Response, type Router } from 'express';
import type { SandboxStore } from '../store.ts';
import { problem } from '../accounting/errors.ts';
import { checkBearer, connectionsOf } from './grants.ts';
import type { Connection, Grant } from './records.ts';

/** Xero's connection timestamps: ISO with 7 fractional digits and no zone, e.g. 2019-12-07T18:46:19.5165400. */
function connectionTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '0000');
}

export function renderConnection(store: SandboxStore, c: Connection): Record<string, unknown> {
  return {
    id: c.id,
    authEventId: c.authEventId,
    tenantId: c.tenantId,
    tenantType: 'ORGANISATION',
    tenantName: store.books.get(c.tenantId)?.org.Name ?? null,
    createdDateUtc: connectionTime(c.createdAt),
    updatedDateUtc: connectionTime(c.updatedAt),
  };
}

function bearerGrant(store: SandboxStore, req: Request, res: Response): Grant | undefined {
  const check = checkBearer(store, req.get('authorization'));
  if (check.ok) return check.grant;
  res.status(401).set('WWW-Authenticate', 'Bearer error="invalid_token"').json(problem(401, 'Unauthorized', 'AuthorizationUnsuccessful'));
  return undefined;
}

export function connectionsRouter(store: SandboxStore): Router {
  const router = express.Router();
  router.get('/connections', (req, res) => {
    const grant = bearerGrant(store, req, res);
    if (!grant) return;
    const authEventId = typeof req.query['authEventId'] === 'string' ? req.query['authEventId'] : undefined;
    const list = connectionsOf(store, grant).filter((c) => !authEventId || c.authEventId === authEventId);
    res.json(list.map((c) => renderConnection(store, c)));
  });
  router.delete('/connections/:id', (req, res) => {
    const grant = bearerGrant(store, req, res);
    if (!grant) return;
    const connection = connectionsOf(store, grant).find((c) => c.id === req.params['id']?.toLowerCase());
    if (!connection) {
      res.status(404).json(problem(404, 'Not Found', 'Connection not found'));
      return;
    }
    store.connections.delete(connection.id);
    res.status(204).end();
  });
  return router;
}

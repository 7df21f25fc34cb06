/** The sandbox's HTTP surface: identity, connections, Accounting API and control API on one origin. */
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { accountingApi } from './accounting/api.ts';
import { onlineInvoicePages } from './accounting/online-invoices.ts';
import { controlRouter, type Runtime, type SandboxControl } from './control.ts';
import { authorizeRouter } from './identity/authorize.ts';
import { connectionsRouter } from './identity/connections.ts';
import { tokenRouter } from './identity/token-endpoint.ts';

export interface AppDeps extends Runtime {
  control: SandboxControl;
  held: Set<() => void>;
  log: (line: string) => void;
  /** `validateRequests`: checks each Accounting request against the spec before it is handled. */
  specCheck?: RequestHandler;
}

export function createSandboxApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // The query parser must turn xero-node's `+` back into spaces inside `where`.
  app.set('query parser', 'simple');
  app.use((req, _res, next) => {
    deps.log(`${req.method} ${req.originalUrl}`);
    next();
  });
  app.get('/', (_req, res) => {
    const base = deps.store.baseUrl;
    res.json({
      name: 'Xero sandbox',
      accountingApi: `${base}/api.xro/2.0`,
      identity: base,
      login: `${base}/identity/connect/authorize`,
      connections: `${base}/connections`,
      control: `${base}/_sandbox`,
    });
  });
  app.use(tokenRouter(deps.store));
  app.use(authorizeRouter(deps.store));
  app.use(connectionsRouter(deps.store));
  app.use('/api.xro/2.0', accountingApi({ store: deps.store, limiter: deps.limiter, idempotency: deps.idempotency, announce: deps.announce, held: deps.held, specCheck: deps.specCheck }));
  app.use('/_sandbox', controlRouter(deps.control));
  app.use(onlineInvoicePages(deps.store));
  const errors: ErrorRequestHandler = (error, req, res, _next) => {
    deps.log(`sandbox error on ${req.method} ${req.originalUrl}: ${error instanceof Error ? error.stack : String(error)}`);
    if (!res.headersSent) res.status(500).json({ Title: 'Sandbox error', Status: 500, Detail: error instanceof Error ? error.message : String(error) });
  };
  app.use(errors);
  return app;
}

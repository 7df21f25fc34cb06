/** The Accounting API router, mounted at /api.xro/2.0. */
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Router } from 'express';
import { catalogueRoutes } from './catalogue-routes.ts';
import { contactRoutes } from './contact-routes.ts';
import { creditNoteRoutes } from './credit-note-routes.ts';
import { postDataInvalid } from './errors.ts';
import { gateway, type GatewayDeps } from './gateway.ts';
import { invoiceRoutes } from './invoice-routes.ts';
import { journalRoutes } from './journal-routes.ts';
import { paymentRoutes } from './payment-routes.ts';
import type { RouteDeps } from './reply.ts';
import { settingsRoutes } from './settings-routes.ts';

/** Xero's documented request size limit. */
export const MAX_BODY = '3.5mb';

export function accountingApi(deps: RouteDeps & GatewayDeps & { specCheck?: RequestHandler | undefined }): Router {
  const router = express.Router();
  // xero-node sends a `{}` JSON body even on GET: bodies are accepted on every method.
  const jsonBody = express.json({
    limit: MAX_BODY,
    type: ['application/json', 'text/json', 'application/*+json'],
    verify: (req, _res, buf) => { (req as Request & { rawBody?: Buffer }).rawBody = buf; },
  });
  // The gateway reads the body once a call is admitted (before Xero "works" on it); this parser then has nothing left to do.
  router.use(gateway({ ...deps, readBody: jsonBody }));
  router.use(jsonBody);
  // `validateRequests`: the spec check sees the parsed body before any handler does.
  if (deps.specCheck) router.use(deps.specCheck);
  router.use(settingsRoutes(deps));
  router.use(catalogueRoutes(deps));
  router.use(contactRoutes(deps));
  router.use(invoiceRoutes(deps));
  router.use(paymentRoutes(deps));
  router.use(creditNoteRoutes(deps));
  router.use(journalRoutes(deps));
  router.use((_req, res) => {
    res.status(404).type('text/plain').send("The resource you're looking for cannot be found");
  });
  const errors: ErrorRequestHandler = (error, _req, res, next) => {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      res.status(413).type('text/plain').send('Request Entity Too Large');
      return;
    }
    if (type === 'entity.parse.failed') {
      const invalid = postDataInvalid(`Unexpected character encountered while parsing value.`);
      res.status(invalid.status).json(invalid.body);
      return;
    }
    next(error);
  };
  router.use(errors);
  return router;
}

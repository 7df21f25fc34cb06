/**
 * The Express app, apart from `listen` so tests run it in-process. Health routes first, then the
 * authenticated API, then ONE error handler.
 */
import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client.ts';
import type { Logger } from '../config/logger.ts';
import { authenticate, type TokenVerifier } from './auth.ts';
import { HttpError, problemHandler } from './errors.ts';
import { contactsRouter } from './routes/contacts.ts';
import { healthRouter } from './routes/health.ts';
import type { TenantWorkflows } from './tenant-workflow.ts';

export interface AppDeps {
  db: Db;
  temporal: Client;
  tenants: TenantWorkflows;
  verifyToken: TokenVerifier;
  logger: Logger;
  bodyLimit?: string;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use(healthRouter(deps));

  app.use('/api', express.json({ limit: deps.bodyLimit ?? '1mb' }), authenticate(deps.verifyToken));
  app.use(contactsRouter(deps));

  app.use((req) => {
    throw new HttpError(404, 'not_found', `No route for ${req.method} ${req.path}.`);
  });
  app.use(problemHandler(deps.logger));
  return app;
}

/**
 * `POST ${WEBHOOK_PATH}`: Xero's webhook deliveries. Mounted before any JSON parser and outside `/api`
 * auth: the signature is the authentication, and it is computed over the raw bytes.
 *
 * Every answer has an EMPTY body and sets no cookie (Xero's rules for the endpoint; it ignores bodies):
 *   401  signature missing or wrong (also when no webhook key is configured: nothing can be verified), and
 *        bodies that cannot be checked at all: over the limit (Xero's are a few KB) or compressed (the
 *        signature covers the bytes Xero sends, which are never compressed)
 *   400  correctly signed but not JSON, or not the shape of a Xero delivery (Xero ignores the body, so no
 *        problem+json here; the reason is logged)
 *   200  correctly signed: every event is committed (deduplicated) before this answer; intent-to-receive
 *        payloads (`events: []`) store nothing
 *   503  the database is unavailable (down, restarting): Xero retries the delivery
 *   500  the database failed otherwise: Xero retries the delivery
 * The owning workflows are signalled after the events are stored, and the answer never waits for Temporal.
 */
import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Logger } from '../../config/logger.ts';
import type { Db } from '../../db/client.ts';
import { isDatabaseUnavailable } from '../../db/unavailable.ts';
import type { OrgWorkflows } from '../../workflows/client/org-workflows.ts';
import type { WebhookMetrics } from '../../metrics/webhooks.ts';
import { createXeroWebhookReceiver } from './xero-webhook-receiver.ts';

export interface XeroWebhookOptions {
  /** XERO_WEBHOOK_KEY. Without it every delivery is refused with 401. */
  key: string | undefined;
  path: string;
  /** e.g. `1mb`: bigger bodies get 401 (they cannot be checked) before any signature work. */
  bodyLimit?: string;
}

export interface XeroWebhookDeps {
  db: Db;
  workflows: Pick<OrgWorkflows, 'notifyXeroEvents'>;
  logger: Logger;
  xeroWebhooks: XeroWebhookOptions;
  metrics: { webhooks: WebhookMetrics };
}

const NO_BODY = Buffer.alloc(0);

export function xeroWebhookRouter({ db, workflows, logger, xeroWebhooks, metrics }: XeroWebhookDeps): Router {
  const { key, path } = xeroWebhooks;
  if (!key) logger.warn({ path }, 'XERO_WEBHOOK_KEY is not set: every Xero webhook delivery will be refused with 401');
  const receive = createXeroWebhookReceiver({ db, workflows, logger, key, metrics: metrics.webhooks });
  const answer: RequestHandler = async (req, res) => {
    const status = await receive(Buffer.isBuffer(req.body) ? req.body : NO_BODY, req.get('x-xero-signature'));
    res.status(status).end();
  };
  // Every answer, errors included (413, 500), from the request reaching the route to the answer sent.
  const timed: RequestHandler = (_req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => metrics.webhooks.delivery({ status: res.statusCode, seconds: Number(process.hrtime.bigint() - started) / 1e9 }));
    next();
  };

  const router = Router();
  router.post(
    path,
    timed,
    // Any content type: the signature covers the bytes whatever Xero labels them. No inflation: the bytes
    // checked are the bytes sent, and a compressed body cannot expand past the limit.
    express.raw({ type: () => true, limit: xeroWebhooks.bodyLimit ?? '1mb', inflate: false }),
    answer,
    emptyBodyErrors(logger),
  );
  return router;
}

/** Xero wants empty bodies, so this route answers its own errors instead of the app's problem+json. */
function emptyBodyErrors(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = err as { status?: number; type?: string };
    if (e?.type === 'entity.too.large' || e?.type === 'encoding.unsupported') {
      // Not something Xero sends, and nothing we can verify: unauthenticated, like any bad signature.
      logger.debug({ reason: e.type, path: req.path }, 'Xero webhook delivery refused: the body cannot be checked');
      res.status(401).end();
      return;
    }
    // Other body-parser errors carry their status (400: the client went away mid-body).
    const status = typeof e?.type === 'string' && typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : isDatabaseUnavailable(err) ? 503 : 500;
    if (status === 503) logger.warn({ path: req.path }, 'Xero webhook delivery refused: the database is unavailable; Xero will retry it');
    else if (status >= 500) logger.error({ err, path: req.path }, 'Xero webhook delivery failed; Xero will retry it');
    res.status(status).end();
  };
}

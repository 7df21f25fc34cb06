/**
 * The worker process's two background loops, wired from configuration: the relay (webhook events and
 * missed wakes → Temporal signals) and the outbox dispatcher (events → the main app). Both are safe to
 * run in every worker process at once.
 */
import { createOrgWorkflows } from '../workflows/client/org-workflows.ts';
import type { Env } from '../config/env.ts';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../db/client.ts';
import type { Sql } from 'postgres';
import { OutboxDispatcher } from './outbox-dispatcher.ts';
import { XeroEventRelay } from './relay.ts';
import { createRelayTemporalClient } from './relay-temporal-client.ts';

export function startRelayAndOutbox({ env, db, sql, logger }: { env: Env; db: Db; sql?: Sql; logger: Logger }) {
  const temporal = createRelayTemporalClient({ address: env.TEMPORAL_ADDRESS, namespace: env.TEMPORAL_NAMESPACE });
  const relay = new XeroEventRelay({
    db,
    workflows: createOrgWorkflows(temporal, env.TEMPORAL_TASK_QUEUE),
    logger,
    intervalMs: env.RELAY_INTERVAL_MS,
    stalePendingAfterMs: env.RELAY_STALE_PENDING_MS,
  });
  const outbox = new OutboxDispatcher({
    db,
    logger,
    url: env.PLATFORM_WEBHOOK_URL,
    secret: env.PLATFORM_WEBHOOK_SECRET,
    pollMs: env.OUTBOX_POLL_MS,
    concurrency: env.OUTBOX_CONCURRENCY,
    // postgres.js keeps the LISTEN across reconnects (a database restart).
    listen: sql ? (channel, onNotify, onListen) => sql.listen(channel, onNotify, onListen) : undefined,
  });
  relay.start();
  outbox.start();
  return {
    /** Lets the passes in progress finish, then closes the relay's Temporal connection. */
    async stop() {
      await Promise.all([relay.stop(), outbox.stop()]);
      await temporal.connection.close();
    },
  };
}

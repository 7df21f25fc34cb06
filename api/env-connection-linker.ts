/**
 * A single-organisation deployment set up as the AMS billing guide says (XERO_CLIENT_ID, XERO_CLIENT_SECRET,
 * XERO_TENANT_ID, nothing else done) syncs without anyone calling `/connect`: when the API starts, the
 * environment's custom connection is linked to the deployment's one platform organisation
 * (XERO_PLATFORM_ORG_ID) and that organisation's workflow and schedule are started.
 *
 *   - Only when the organisation has no connection yet: a connection an admin disconnected, or one made
 *     another way, is theirs to change.
 *   - Several API processes starting at once link it once (a lock and a re-check around the link).
 *   - Xero unreachable, or the custom connection not authorised in Xero yet, must not stop the API: one log
 *     line says what and when the next try is, and it is tried again with backoff until it is linked.
 */
import type { Logger } from '../config/logger.ts';
import { environmentCredentials, linkCustomConnection } from './routes/integrations/xero/custom-connection.ts';
import type { IntegrationContext } from './routes/integrations/xero/context.ts';
import { xeroProblem } from './routes/integrations/xero/xero-problem.ts';

export type LinkOutcome = 'linked' | 'already_linked' | 'not_configured';

export interface EnvConnectionLinker {
  /** One try; throws what stopped it. */
  linkOnce(): Promise<LinkOutcome>;
  /** Tries now and, on failure, again after `retry` (doubling up to `maxRetry`) until linked or stopped. */
  start(): void;
  stop(): void;
}

export interface LinkerOptions {
  firstRetryMs?: number;
  maxRetryMs?: number;
}

/** Problems that another try cannot solve (another platform organisation holds the Xero organisation). */
const FINAL = new Set(['tenant_linked_elsewhere']);

export function createEnvConnectionLinker(ctx: IntegrationContext, options: LinkerOptions = {}): EnvConnectionLinker {
  const firstRetryMs = options.firstRetryMs ?? 5_000;
  const maxRetryMs = options.maxRetryMs ?? 5 * 60_000;
  const logger: Logger = ctx.logger;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const linkOnce = async (): Promise<LinkOutcome> => {
    const credentials = environmentCredentials(ctx);
    const orgId = ctx.xero.envCustomConnection?.platformOrgId;
    if (!credentials || !orgId) return 'not_configured';
    const linked = await linkCustomConnection(ctx, { orgId, credentials, onlyIfUnlinked: true });
    if (!linked) return 'already_linked';
    await ctx.lifecycle.resume(orgId);
    return 'linked';
  };

  const attempt = async (delayMs: number): Promise<void> => {
    if (stopped) return;
    const orgId = ctx.xero.envCustomConnection?.platformOrgId;
    try {
      const outcome = await linkOnce();
      if (outcome === 'linked') logger.info({ orgId }, `Xero custom connection from the environment linked to organisation '${orgId}' (XERO_PLATFORM_ORG_ID)`);
      return;
    } catch (err) {
      const problem = xeroProblem(err);
      const reason = problem?.message ?? (err instanceof Error ? err.message : String(err));
      if (problem && FINAL.has(problem.code)) {
        logger.warn({ orgId, code: problem.code }, `Xero custom connection from the environment not linked to organisation '${orgId}': ${reason}`);
        return;
      }
      if (stopped) return;
      logger.warn(
        { orgId, code: problem?.code, retryInMs: delayMs },
        `Xero custom connection from the environment not linked to organisation '${orgId}' yet (${reason}); trying again in ${Math.round(delayMs / 1000)} s`,
      );
      timer = setTimeout(() => void attempt(Math.min(delayMs * 2, maxRetryMs)), delayMs);
      timer.unref();
    }
  };

  return {
    linkOnce,
    start: () => {
      if (ctx.xero.envCustomConnection) void attempt(firstRetryMs);
    },
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

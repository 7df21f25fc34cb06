import type { Db } from '../db/client.ts';
import type { Logger } from '../config/logger.ts';

/** Everything an activity may touch, handed in by the worker (or a test): no module-level singletons. */
export interface ActivityDeps {
  db: Db;
  logger: Logger;
}

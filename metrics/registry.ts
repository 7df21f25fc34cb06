/**
 * One Prometheus registry per process (the API's, the worker's), created by the entry point and handed down
 * through the dependency objects: no module-level singleton, so a test builds its own and reads exactly what
 * its own code counted. Node's process metrics (`process_*`, `nodejs_*`) come with it.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

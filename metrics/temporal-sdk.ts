/**
 * The Temporal SDK's own metrics (workflow and activity task latencies, slots, polls, sticky cache...): its
 * runtime serves them in Prometheus format on an address of its own, unauthenticated. xero-sync binds that
 * exporter to loopback and merges its text into the worker's `/metrics`, so there is one scrape target, one
 * port to document and one place the optional basic auth applies.
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import { ConfigError } from '../config/env.ts';
import { freePort } from '../scripts/free-port.ts';

export interface TemporalSdkMetrics {
  /** The SDK exporter's URL (loopback), merged into the worker's `/metrics`. */
  url: string;
}

/**
 * Installs the SDK runtime with its Prometheus exporter on 127.0.0.1 (`port`, or a free one). The runtime is
 * one per process and must be installed before the first connection: when something already installed it (a
 * test harness, a second worker in the process), the SDK's metrics are not merged and the caller is told.
 */
export async function installTemporalRuntime({ port, logLevel = 'WARN' }: { port?: number; logLevel?: LogLevel }): Promise<TemporalSdkMetrics | undefined> {
  if (Runtime._instance) return undefined;
  const bindAddress = `127.0.0.1:${port ?? (await freePort())}`;
  try {
    Runtime.install({ logger: new DefaultLogger(logLevel), telemetryOptions: { metrics: { prometheus: { bindAddress } } } });
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    if (/address already in use/i.test(text)) throw new ConfigError(`METRICS_TEMPORAL_SDK_PORT: ${bindAddress} is already in use (choose another, or leave it unset for a free one)`);
    throw err;
  }
  return { url: `http://${bindAddress}/metrics` };
}

/** The SDK's exposition text; empty (with a comment saying why) when it does not answer in time. */
export async function scrapeTemporalSdk(sdk: TemporalSdkMetrics, timeoutMs = 2_000): Promise<string> {
  try {
    const res = await fetch(sdk.url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return `# Temporal SDK metrics unavailable: ${sdk.url} answered ${res.status}\n`;
    return await res.text();
  } catch (err) {
    return `# Temporal SDK metrics unavailable: ${err instanceof Error ? err.message : String(err)}\n`;
  }
}

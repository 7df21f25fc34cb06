/** Process lifecycle shared by the entry points: one-line config errors, clean shutdown on signals. */
import { ConfigError } from './env.ts';

/** A bad configuration is one line on stderr and exit code 1, not a stack trace. */
export function exitOnConfigError(err: unknown): never {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET']);

/**
 * Runs a start-up step that reaches another service; when the service cannot be reached, the failure
 * becomes one line naming the variable to check, instead of a driver's stack trace. Postgres errors carry
 * an errno code; Temporal's native client reports only text, hence the second test.
 */
export async function reaching<T>(service: string, variable: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const text = err instanceof Error ? err.message : String(err);
    if ((code && UNREACHABLE.has(code)) || /ECONNREFUSED|failed to connect|transport error|Connection refused/i.test(text)) {
      throw new ConfigError(`${variable}: cannot reach ${service} (${code ?? text.split('\n')[0]}); is it running, and is ${variable} right?`);
    }
    throw err;
  }
}

/** Runs `stop` once on SIGINT/SIGTERM; a second signal forces the exit. */
export function onShutdownSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`${signal} again: exiting now`);
      process.exit(130);
    }
    stopping = true;
    stop().then(
      () => process.exit(0),
      (err) => {
        console.error('shutdown failed', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** True when the module at `moduleUrl` is the script node was started with (Node 20 has no import.meta.main). */
export function isMainModule(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  const modulePath = new URL(moduleUrl).pathname;
  return modulePath === entry || modulePath.replace(/\.(ts|js)$/, '') === entry.replace(/\.(ts|js)$/, '');
}

/**
 * Structured logging. Secrets must never reach a log line: redaction is by key, wherever the key sits,
 * so a token that ends up inside an error object or a request dump is still censored.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

const SECRET_KEYS = [
  'access_token',
  'accessToken',
  'refresh_token',
  'refreshToken',
  'id_token',
  'client_secret',
  'clientSecret',
  'authorization',
  'Authorization',
  'password',
  'secret',
  'token',
  'code_verifier',
  'codeVerifier',
  'x-xero-signature',
];

const redactPaths = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]);

export type { Logger };

/** `destination`: where the JSON lines go (default stdout); the test suite keeps them, to look for secrets in them. */
export function createLogger(options: { level?: string; name?: string; destination?: DestinationStream } = {}): Logger {
  const config = { name: options.name ?? 'xero-sync', level: options.level ?? 'info', redact: { paths: redactPaths, censor: '[redacted]' } };
  return options.destination ? pino(config, options.destination) : pino(config);
}

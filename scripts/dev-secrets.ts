/**
 * `npm run dev` must work on a fresh machine with no `.env`: it generates the secrets it needs once and
 * keeps them in the (git-ignored) data directory, so tokens and encrypted rows survive a restart.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface DevSecrets {
  API_JWT_SECRET: string;
  ENCRYPTION_KEY: string;
  XERO_WEBHOOK_KEY: string;
}

export function ensureDevSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: DevSecrets = {
    API_JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: `dev1:${randomBytes(32).toString('base64')}`,
    XERO_WEBHOOK_KEY: randomBytes(32).toString('base64'),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

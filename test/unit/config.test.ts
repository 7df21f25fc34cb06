/** A bad configuration stops start-up with one line that names every offending variable. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv } from '../../config/env.ts';

const valid = {
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
  API_JWT_SECRET: 'x'.repeat(32),
  ENCRYPTION_KEY: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
};

describe('loadEnv', () => {
  it('accepts a minimal valid environment and fills the defaults', () => {
    const env = loadEnv(valid);
    expect(env).toMatchObject({ TEMPORAL_NAMESPACE: 'default', XERO_API_URL: 'https://api.xero.com', XERO_AMOUNT_TYPE: 'EXCLUSIVE' });
  });

  it('names every bad variable in one line', () => {
    let error: unknown;
    try {
      loadEnv({ ...valid, API_JWT_SECRET: '', XERO_AMOUNT_TYPE: 'GROSS', API_PORT: 'eighty' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    for (const name of ['API_JWT_SECRET', 'XERO_AMOUNT_TYPE', 'API_PORT']) expect(message).toContain(name);
    // What each one expects, not a generic "required" for a value that is present but wrong.
    expect(message).toContain('API_PORT: expected a port number');
    expect(message).toContain('API_JWT_SECRET: required (or set API_JWKS_URL)');
  });
});

describe('an entry point started without API_JWT_SECRET', () => {
  it('exits with code 1 and one line on stderr naming it, no stack trace', () => {
    const { status, stderr } = spawnSync(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
      env: { PATH: process.env.PATH, DATABASE_URL: valid.DATABASE_URL, ENCRYPTION_KEY: valid.ENCRYPTION_KEY },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(status).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('API_JWT_SECRET');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

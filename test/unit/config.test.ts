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

describe('booleans, as the AMS billing guide writes them', () => {
  // The guide: "XERO_EMAIL_INVOICES | True for production, False for Demo Company"; other tools write TRUE, 1, yes.
  it.each([
    ['True', true],
    ['False', false],
    ['TRUE', true],
    ['false', false],
    ['true', true],
    ['FALSE', false],
    ['1', true],
    ['0', false],
    ['yes', true],
    ['no', false],
    ['Yes', true],
    ['NO', false],
  ])('XERO_EMAIL_INVOICES=%s starts, and means %s', (value, expected) => {
    expect(loadEnv({ ...valid, XERO_EMAIL_INVOICES: value }).XERO_EMAIL_INVOICES).toBe(expected);
  });

  it('reads every boolean variable the same way', () => {
    expect(loadEnv({ ...valid, XERO_APPLY_CONTACT_EDITS: 'True' }).XERO_APPLY_CONTACT_EDITS).toBe(true);
    expect(loadEnv({ ...valid, XERO_APPLY_CONTACT_EDITS: 'False' }).XERO_APPLY_CONTACT_EDITS).toBe(false);
  });

  it('names the variable when a boolean is something else', () => {
    expect(() => loadEnv({ ...valid, XERO_EMAIL_INVOICES: 'Sometimes' })).toThrow(/XERO_EMAIL_INVOICES: expected true or false/);
  });
});

describe('the single-organisation variables', () => {
  it("accepts the guide's table as written, with the deployment's organisation defaulting to `default`", () => {
    const env = loadEnv({
      ...valid,
      AMS_BILLING_SERVICE_CLASS: 'ams.billing.providers.xero.XeroBillingService',
      XERO_CLIENT_ID: 'CLIENTID0123456789ABCDEF01234567',
      XERO_CLIENT_SECRET: 'client-secret',
      XERO_TENANT_ID: '4f9c7a52-1d2e-4b3c-8a9d-0e1f2a3b4c5d',
      XERO_WEBHOOK_KEY: 'webhook-key',
      XERO_ACCOUNT_CODE: '200',
      XERO_AMOUNT_TYPE: 'INCLUSIVE',
      XERO_CURRENCY_CODE: 'NZD',
      XERO_EMAIL_INVOICES: 'False',
      AMS_BILLING_EMAIL_WHITELIST_REGEX: '',
    });
    expect(env).toMatchObject({ XERO_PLATFORM_ORG_ID: 'default', XERO_AMOUNT_TYPE: 'INCLUSIVE', XERO_CURRENCY_CODE: 'NZD', XERO_EMAIL_INVOICES: false });
    expect(env.AMS_BILLING_EMAIL_WHITELIST_REGEX).toBeUndefined();
    expect(loadEnv({ ...valid, XERO_PLATFORM_ORG_ID: 'acme-association' }).XERO_PLATFORM_ORG_ID).toBe('acme-association');
    expect(() => loadEnv({ ...valid, XERO_PLATFORM_ORG_ID: 'two words' })).toThrow(/XERO_PLATFORM_ORG_ID/);
  });

  it('asks for the granular scopes by default, and takes the broad ones of older apps', () => {
    expect(loadEnv(valid).XERO_SCOPES).toBe('offline_access accounting.contacts accounting.invoices accounting.payments accounting.manualjournals accounting.settings.read');
    expect(loadEnv({ ...valid, XERO_SCOPES: 'offline_access accounting.transactions accounting.contacts accounting.settings.read' }).XERO_SCOPES).toBe(
      'offline_access accounting.transactions accounting.contacts accounting.settings.read',
    );
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

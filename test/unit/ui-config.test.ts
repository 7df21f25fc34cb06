/** The pages' configuration: UI_FRAME_ANCESTORS becomes a CSP directive, so only source lists pass. */
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../config/env.ts';
import { contentSecurityPolicy } from '../../api/ui/security-headers.ts';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/db', API_JWT_SECRET: 'x'.repeat(32), ENCRYPTION_KEY: `k1:${Buffer.alloc(32, 1).toString('base64')}` };

describe('UI_FRAME_ANCESTORS', () => {
  it("defaults to 'none' and accepts keywords and origins", () => {
    expect(loadEnv(base).UI_FRAME_ANCESTORS).toBe("'none'");
    for (const value of ["'self'", "'self' https://app.example.com", 'https://*.example.com http://localhost:3000']) {
      expect(loadEnv({ ...base, UI_FRAME_ANCESTORS: value }).UI_FRAME_ANCESTORS).toBe(value);
    }
    expect(contentSecurityPolicy("'self' https://app.example.com")).toContain("frame-ancestors 'self' https://app.example.com");
  });

  it('refuses anything that could end the directive or widen it, naming the variable', () => {
    for (const value of ["'self'; script-src *", '*', 'https://app.example.com, https://evil.example', "'none' 'self'", 'javascript:alert(1)']) {
      expect(() => loadEnv({ ...base, UI_FRAME_ANCESTORS: value })).toThrow(/UI_FRAME_ANCESTORS: expected 'none', 'self' or origins/);
    }
  });

  it('takes session and link lifetimes as durations', () => {
    expect(loadEnv(base)).toMatchObject({ UI_SESSION_TTL: 8 * 3_600_000, UI_SIGN_IN_LINK_TTL: 120_000 });
    expect(loadEnv({ ...base, UI_SIGN_IN_LINK_TTL: '1h' }).UI_SIGN_IN_LINK_TTL).toBe(3_600_000);
    expect(() => loadEnv({ ...base, UI_SIGN_IN_LINK_TTL: '1s' })).toThrow(/UI_SIGN_IN_LINK_TTL/);
  });
});

/**
 * The webhook signature check (FACTS.md): `x-xero-signature` is base64(HMAC-SHA256(raw body bytes, webhook
 * key)), compared over the raw bytes. Anything else is refused: Xero's intent-to-receive check sends
 * deliberately bad signatures and expects a 401 for each.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isValidXeroSignature } from '../../api/webhooks/xero-signature.ts';

const key = 'r5pVTI0bCrC3yXkcmWyu6bNgfXPgx9FUE9ek2ipE6bjBvaMkN0Fe4ekvjaoZhz7rNT2eqwdkCAx0W6vVr7ZPmQ==';
const body = Buffer.from('{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"S0m3r4Nd0mt3xt"}');
const sign = (bytes: Buffer, withKey = key) => createHmac('sha256', withKey).update(bytes).digest('base64');

describe('isValidXeroSignature', () => {
  it('accepts the signature of the exact bytes with the webhook key', () => {
    expect(isValidXeroSignature(body, sign(body), key)).toBe(true);
  });

  it('refuses a missing, empty, truncated or padded signature', () => {
    const good = sign(body);
    for (const header of [undefined, '', good.slice(0, -4), `${good}=`, ` ${good}`]) expect(isValidXeroSignature(body, header, key), String(header)).toBe(false);
  });

  it('refuses another key, and a signature of the same JSON re-serialised', () => {
    expect(isValidXeroSignature(body, sign(body, 'another key'), key)).toBe(false);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(isValidXeroSignature(body, sign(reserialised), key)).toBe(false);
  });

  it('refuses a body changed by one byte, and non-base64 garbage of the right length', () => {
    const changed = Buffer.from(body);
    changed[changed.length - 3] ^= 1;
    expect(isValidXeroSignature(changed, sign(body), key)).toBe(false);
    expect(isValidXeroSignature(body, '!'.repeat(sign(body).length), key)).toBe(false);
  });
});

/**
 * Encryption at rest for tokens and client secrets: AES-256-GCM with a key id in every envelope, so the
 * key can be rotated (new writes use the first key; old rows still decrypt with theirs).
 *
 * Envelope: `v1.<kid>.<iv b64url>.<tag b64url>.<ciphertext b64url>`. The associated data binds a value
 * to its place (e.g. `xero_connections.refresh_token:<orgId>`), so a ciphertext copied into another
 * organisation's row does not decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface SecretBox {
  encrypt(plaintext: string, context: string): string;
  decrypt(envelope: string, context: string): string;
}

export function createSecretBox(keys: EncryptionKey[]): SecretBox {
  const [active] = keys;
  if (!active) throw new Error('at least one encryption key is required');
  const byId = new Map(keys.map((k) => [k.id, k.key]));
  return {
    encrypt(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', active.key, iv);
      cipher.setAAD(Buffer.from(context));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', active.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
    },
    decrypt(envelope, context) {
      const [version, kid, iv, tag, ciphertext] = envelope.split('.');
      if (version !== 'v1' || !kid || !iv || !tag || ciphertext === undefined) throw new Error('not a secret-box envelope');
      const key = byId.get(kid);
      if (!key) throw new Error(`no encryption key with id ${kid}: add it to ENCRYPTION_KEY to read this value`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const nonceBytes = 12;
export const tagBytes = 16;

/** Nonce, ciphertext and tag, in that order, in one buffer. */
export function seal(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);

  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);

  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/**
 * Opens what `seal` made. Throws when the key, the AAD or any byte is not
 * what sealed it: GCM's tag leaves no garbage through.
 */
export function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  const nonce = sealed.subarray(0, nonceBytes);
  const tag = sealed.subarray(sealed.length - tagBytes);
  const body = sealed.subarray(nonceBytes, sealed.length - tagBytes);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);

  return Buffer.concat([decipher.update(body), decipher.final()]);
}

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import { nonceBytes } from '../../src/crypto/aes-gcm.js';

/** AES-256-GCM output, kept in its three parts: nothing is joined. */
export interface RawSealed {
  nonce: Buffer;
  body: Buffer;
  tag: Buffer;
}

/**
 * The least any AES-256-GCM encryption of a value must do: a fresh random
 * nonce, the cipher over the bytes and the AAD, and the tag. No key
 * lookup, no encoding, no copies: the ceiling the field cipher is
 * measured against.
 */
export function rawSeal(key: Buffer, plaintext: Buffer, aad: Buffer) {
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);

  const body = cipher.update(plaintext);
  cipher.final();

  return { nonce, body, tag: cipher.getAuthTag() };
}

/** Opens what `rawSeal` made, checking the tag. */
export function rawOpen(key: Buffer, sealed: RawSealed, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.nonce);
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);

  const plaintext = decipher.update(sealed.body);
  decipher.final();

  return plaintext;
}

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const nonceBytes = 12;
export const tagBytes = 16;

/** Nonces fetched from the CSPRNG in one call. */
const noncesPerDraw = 256;

/**
 * Random nonces, drawn from the CSPRNG 256 at a time: a call to it costs
 * about as much as creating the cipher, so one call per seal was a fifth
 * of the cost of sealing a short value. Each nonce is handed out once; a
 * used pool is replaced, never refilled, so a nonce already handed out
 * never changes under its holder.
 */
class NoncePool {
  private pool = Buffer.alloc(0);
  private offset = 0;

  next(): Buffer {
    if (this.offset === this.pool.length) {
      this.pool = randomBytes(nonceBytes * noncesPerDraw);
      this.offset = 0;
    }

    const nonce = this.pool.subarray(this.offset, this.offset + nonceBytes);
    this.offset += nonceBytes;

    return nonce;
  }
}

const nonces = new NoncePool();
const nothing = Buffer.alloc(0);

/**
 * Nonce, ciphertext and tag, in that order, in one buffer, after
 * `prefix` if one is given: the prefix is copied as it is, not encrypted,
 * so a caller that authenticates it must put it in the AAD. A string is
 * sealed as UTF-8; handing it over as a string lets the cipher read it in
 * place, without a buffer made for it first.
 */
export function seal(
  key: Buffer,
  plaintext: Uint8Array | string,
  aad: Buffer,
  prefix: Buffer = nothing,
): Buffer {
  const nonce = nonces.next();
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);

  const body =
    typeof plaintext === 'string'
      ? cipher.update(plaintext, 'utf8')
      : cipher.update(plaintext);
  const rest = cipher.final();

  return Buffer.concat([prefix, nonce, body, rest, cipher.getAuthTag()]);
}

/**
 * Opens what `seal` made (without its prefix). Throws when the key, the
 * AAD or any byte is not what sealed it: GCM's tag leaves no garbage
 * through.
 */
export function open(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  const nonce = sealed.subarray(0, nonceBytes);
  const tag = sealed.subarray(sealed.length - tagBytes);
  const body = sealed.subarray(nonceBytes, sealed.length - tagBytes);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);

  const plaintext = decipher.update(body);
  const rest = decipher.final();

  // GCM is a stream mode: final() checks the tag and, in practice, adds
  // no bytes, so the common case needs no copy.
  return rest.length === 0 ? plaintext : Buffer.concat([plaintext, rest]);
}

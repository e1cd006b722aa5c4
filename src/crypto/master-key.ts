import { createHash } from 'node:crypto';

import { DecryptionError, UnknownMasterKeyError } from './crypto-errors.js';
import { nonceBytes, open, seal, tagBytes } from './aes-gcm.js';

/**
 * The key that wraps the tenants' data keys (the KEK). This is the seam
 * for a KMS: an adapter for AWS KMS or another would wrap and unwrap by
 * calling it, and never hold the key itself.
 */
export interface MasterKey {
  /** Names this key in every key it wraps, so rotation can find them. */
  readonly id: string;
  /** `context` is bound to the result; unwrapping needs the same one. */
  wrap(key: Buffer, context: string): Promise<string>;
  unwrap(wrapped: string, context: string): Promise<Buffer>;
}

/** A master key given in configuration: 32 bytes, in this process. */
export class LocalMasterKey implements MasterKey {
  readonly id: string;

  constructor(private readonly secret: Buffer) {
    if (secret.length !== 32) {
      throw new RangeError('A master key is 32 bytes');
    }
    // A digest of the key, not the key: the id is stored next to every
    // wrapped key and may be logged.
    this.id = createHash('sha256')
      .update('hakkiri master key id\n')
      .update(secret)
      .digest('hex')
      .slice(0, 16);
  }

  async wrap(key: Buffer, context: string): Promise<string> {
    return seal(this.secret, key, Buffer.from(context)).toString('base64');
  }

  async unwrap(wrapped: string, context: string): Promise<Buffer> {
    const sealed = Buffer.from(wrapped, 'base64');
    if (sealed.length <= nonceBytes + tagBytes) {
      throw new DecryptionError('malformed');
    }

    try {
      return open(this.secret, sealed, Buffer.from(context));
    } catch (error) {
      throw new DecryptionError('authentication', { cause: error });
    }
  }
}

/**
 * The current master key, which wraps new keys, and the previous ones,
 * kept only to unwrap keys until a rotation has re-wrapped them.
 */
export class MasterKeys {
  private readonly byId: Map<string, MasterKey>;

  constructor(
    readonly current: MasterKey,
    previous: readonly MasterKey[] = [],
  ) {
    this.byId = new Map([current, ...previous].map((key) => [key.id, key]));
  }

  get(id: string): MasterKey {
    const key = this.byId.get(id);
    if (!key) throw new UnknownMasterKeyError(id);

    return key;
  }
}

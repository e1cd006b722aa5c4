import { createHmac } from 'node:crypto';

import type { JsonValue } from '../ports/event-store.js';
import type { FieldAddress, ValueSealer } from '../ports/value-sealer.js';
import { nonceBytes, open, seal, tagBytes } from './aes-gcm.js';
import { DecryptionError } from './crypto-errors.js';
import type { Keyring } from './keyring.js';

/** Marks a stored value as sealed, and names the layout that follows. */
const prefix = 'enc:';
/** What the plaintext is: the JSON of a value, or bytes as they are. */
const formats = { json: 1, bytes: 2 } as const;
type Format = (typeof formats)[keyof typeof formats];
/** Format byte and 32-bit key version. */
const headerBytes = 5;

/**
 * Encrypts single values with AES-256-GCM under the tenant's current data
 * key. The stored form is `enc:` and base64 of: a format byte, the key
 * version (32 bits), a random 96-bit nonce, the ciphertext and the tag.
 * The header and the value's address are the AAD, so a ciphertext moved
 * to another field, record or tenant, or relabelled, does not open.
 */
export class FieldCipher implements ValueSealer {
  constructor(private readonly keyring: Keyring) {}

  encrypt(address: FieldAddress, value: JsonValue): Promise<string> {
    return this.seal(address, formats.json, JSON.stringify(value));
  }

  /** Bytes sealed as they are: no JSON, so none of its escapes. */
  encryptBytes(address: FieldAddress, bytes: Uint8Array): Promise<string> {
    return this.seal(address, formats.bytes, bytes);
  }

  /** Throws DecryptionError for anything that is not a value it sealed. */
  async decrypt(address: FieldAddress, stored: string): Promise<JsonValue> {
    const plaintext = await this.open(address, stored, formats.json);

    return JSON.parse(plaintext.toString('utf8')) as JsonValue;
  }

  /** What `encryptBytes` sealed; a sealed JSON value is refused. */
  decryptBytes(address: FieldAddress, stored: string): Promise<Buffer> {
    return this.open(address, stored, formats.bytes);
  }

  /**
   * A keyed digest for equality lookups on an encrypted value: equal
   * inputs give equal digests within a tenant and a purpose, and nothing
   * else can be learnt from it without the tenant's index key.
   */
  async blindIndex(
    tenantId: string,
    purpose: string,
    value: string,
  ): Promise<string> {
    const key = await this.keyring.indexKey(tenantId);

    return createHmac('sha256', key)
      .update(`${purpose}\n${value}`)
      .digest('hex');
  }

  private async seal(
    address: FieldAddress,
    format: Format,
    plaintext: string | Uint8Array,
  ): Promise<string> {
    const { version, key } = await this.keyring.currentDataKey(
      address.tenantId,
    );
    const header = Buffer.alloc(headerBytes);
    header.writeUInt8(format, 0);
    header.writeUInt32BE(version, 1);

    const sealed = seal(key, plaintext, aad(header, address), header);

    return prefix + sealed.toString('base64');
  }

  private async open(
    address: FieldAddress,
    stored: string,
    format: Format,
  ): Promise<Buffer> {
    const bytes = parse(stored, format);
    const header = bytes.subarray(0, headerBytes);
    const key = await this.keyring.dataKey(
      address.tenantId,
      header.readUInt32BE(1),
    );
    if (!key) throw new DecryptionError('unknown_key');

    try {
      return open(key, bytes.subarray(headerBytes), aad(header, address));
    } catch (error) {
      throw new DecryptionError('authentication', { cause: error });
    }
  }
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(prefix);
}

function parse(stored: string, format: Format): Buffer {
  if (!isSealed(stored)) throw new DecryptionError('malformed');

  const bytes = Buffer.from(stored.slice(prefix.length), 'base64');
  const tooShort = bytes.length < headerBytes + nonceBytes + tagBytes;
  if (tooShort || bytes.readUInt8(0) !== format) {
    throw new DecryptionError('malformed');
  }

  return bytes;
}

/** The header and the address, written into one buffer. */
function aad(header: Buffer, address: FieldAddress): Buffer {
  const where = `${address.tenantId}\n${address.record}\n${address.field}`;
  const bytes = Buffer.allocUnsafe(header.length + Buffer.byteLength(where));
  header.copy(bytes);
  bytes.write(where, header.length);

  return bytes;
}

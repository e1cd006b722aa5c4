import type { JsonValue } from './event-store.js';

/** Where a value lives. The ciphertext is bound to all three. */
export interface FieldAddress {
  tenantId: string;
  /** The stream name of an event, or the collection and id of a document. */
  record: string;
  /** The field's path within the record. */
  field: string;
}

/**
 * Seals values with their tenant's data key, for what keeps sealed data
 * without an encrypting store around it (snapshot copies). Opening fails
 * with a typed error for anything sealed elsewhere or altered.
 */
export interface ValueSealer {
  encryptBytes(address: FieldAddress, bytes: Uint8Array): Promise<string>;
  decryptBytes(address: FieldAddress, stored: string): Promise<Buffer>;
  decrypt(address: FieldAddress, stored: string): Promise<JsonValue>;
}

/**
 * Where tenants' keys are kept, wrapped by the master key, apart from the
 * tenants' data. Nothing here is ever stored in the clear: the store sees
 * only wrapped keys and the ids needed to find them.
 */

/** What a key is for. Data keys rotate; the blind-index key cannot. */
export type KeyPurpose = 'data' | 'index';

/** One wrapped key of one tenant. */
export interface StoredKey {
  tenantId: string;
  purpose: KeyPurpose;
  /** 1 for the first key of a purpose, one more on each rotation. */
  version: number;
  /** The key wrapped by the master key, as base64. */
  wrapped: string;
  /** The id of the master key that wrapped it. */
  masterKeyId: string;
  createdAt: Date;
}

export type AddKeyResult = 'added' | 'exists';

export interface KeyStore {
  /** Every key of the tenant, in no particular order. */
  keysOf(tenantId: string): Promise<StoredKey[]>;

  /**
   * Adds a key; a key of the same tenant, purpose and version already
   * there is an expected outcome, not an error, and is left as it was.
   */
  add(key: StoredKey): Promise<AddKeyResult>;

  /**
   * Replaces the wrapping of a key after a master-key rotation, if it is
   * still wrapped by `previousMasterKeyId`. Answers whether it changed.
   */
  rewrap(
    key: Pick<StoredKey, 'tenantId' | 'purpose' | 'version'>,
    previousMasterKeyId: string,
    replacement: Pick<StoredKey, 'wrapped' | 'masterKeyId'>,
  ): Promise<boolean>;

  /** Keys wrapped by a master key other than the given one. */
  wrappedByOther(masterKeyId: string): AsyncIterable<StoredKey>;

  /**
   * Deletes every key of the tenant so that no copy is left in the
   * store's files: this is what makes crypto-shredding final. Answers how
   * many keys were deleted.
   */
  deleteTenant(tenantId: string): Promise<number>;

  close(): Promise<void>;
}

import { HakkiriError } from '../domain/hakkiri-error.js';

/**
 * A ciphertext that does not open: changed, moved to another record or
 * tenant, or sealed with a key this service does not have. Which one is
 * not said, on purpose; `reason` is for logs and tests.
 */
export class DecryptionError extends HakkiriError {
  readonly code = 'decryption_failed';

  constructor(
    readonly reason: 'malformed' | 'unknown_key' | 'authentication',
    options?: { cause?: unknown },
  ) {
    super(`A value could not be decrypted (${reason})`, options);
  }
}

/** A key wrapped by a master key this service was not given. */
export class UnknownMasterKeyError extends HakkiriError {
  readonly code = 'unknown_master_key';

  constructor(readonly masterKeyId: string) {
    super(
      `A key is wrapped by master key ${masterKeyId}, which is not ` +
        'configured; give it as HAKKIRI_MASTER_KEY_PREVIOUS',
    );
  }
}

/**
 * Code asked the read store for something encryption cannot give: a
 * filter, sort or index on an encrypted field, or an encrypted value
 * without the tenant it belongs to. A defect, never the user's fault.
 */
export class EncryptionPolicyError extends HakkiriError {
  readonly code = 'encryption_policy';
}

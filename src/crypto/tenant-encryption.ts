import { eventEncryptionPolicy } from '../domain/event-catalog.js';
import type { EventEncryptionPolicy } from '../domain/event-catalog.js';
import type { BlindIndex } from '../ports/blind-index.js';
import type { EventStore } from '../ports/event-store.js';
import type { ReadStore } from '../ports/read-store.js';
import { KeyedBlindIndex } from './blind-index.js';
import { EncryptingEventStore } from './encrypting-event-store.js';
import { EncryptingReadStore } from './encrypting-read-store.js';
import type { ReadModelEncryptionPolicy } from './encrypting-read-store.js';
import { FieldCipher } from './field-cipher.js';
import type { Keyring } from './keyring.js';
import { OpenedValues } from './opened-values.js';

/**
 * Everything that seals a tenant's data, around one keyring: stores wrap
 * through it, and blind indexes come from it.
 */
export class TenantEncryption {
  readonly cipher: FieldCipher;
  readonly blindIndex: BlindIndex;
  /** Shared by every read store made here: the same documents are read. */
  private readonly opened: OpenedValues;

  constructor(readonly keyring: Keyring) {
    this.cipher = new FieldCipher(keyring);
    this.blindIndex = new KeyedBlindIndex(keyring);
    this.opened = new OpenedValues(keyring);
  }

  events(
    inner: EventStore,
    policy: EventEncryptionPolicy = eventEncryptionPolicy(),
  ): EventStore {
    const { cipher, keyring } = this;

    return new EncryptingEventStore(inner, { cipher, keyring, policy });
  }

  readModels(inner: ReadStore, policy: ReadModelEncryptionPolicy): ReadStore {
    const { cipher, opened } = this;

    return new EncryptingReadStore(inner, { cipher, policy, opened });
  }
}

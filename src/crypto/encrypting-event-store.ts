import { concatMap, filter } from 'rxjs';
import type { Observable } from 'rxjs';

import { TenantKeysDeletedError } from '../ports/errors.js';
import type {
  AppendResult,
  EventData,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamReadResult,
  SubscribeOptions,
  SubscriptionMessage,
} from '../ports/event-store.js';
import type { EventEncryptionPolicy } from '../domain/event-catalog.js';
import { DecryptionError } from './crypto-errors.js';
import type { FieldAddress } from './field-cipher.js';
import type { FieldCipher } from './field-cipher.js';
import type { Keyring } from './keyring.js';

export interface EventEncryption {
  cipher: FieldCipher;
  keyring: Keyring;
  /** The event catalog's answer: which fields to seal, what outlives keys. */
  policy: EventEncryptionPolicy;
}

/**
 * An event store that seals the customer content of every event before it
 * leaves the process, and opens it on the way back. Each value is bound to
 * its tenant, its stream and its field.
 *
 * Once a tenant's keys are deleted its events are gone for every reader,
 * sealed or not, except the record of the deletion: reading one of its
 * streams throws TenantKeysDeletedError, appending to one too, and the
 * global log leaves them out as if they had never been written, so a
 * rebuild sees only the deletion.
 */
export class EncryptingEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly encryption: EventEncryption,
  ) {}

  async append(
    streamName: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const sealed = await Promise.all(
      events.map(async (event) => {
        await this.checkReadable(event.type, event.metadata.tenantId);
        return { ...event, data: await this.seal(streamName, event) };
      }),
    );

    return this.inner.append(streamName, sealed, expected);
  }

  async readStream(
    streamName: string,
    options?: ReadStreamOptions,
  ): Promise<StreamReadResult> {
    const read = await this.inner.readStream(streamName, options);
    if (!read.streamExists) return read;

    const events = await Promise.all(read.events.map((e) => this.open(e)));
    return { streamExists: true, events };
  }

  async *readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    for await (const event of this.inner.readAll(options)) {
      const opened = await this.openUnlessErased(event);
      if (opened) yield opened;
    }
  }

  headPosition(): Promise<bigint | undefined> {
    return this.inner.headPosition();
  }

  /** Opens only the events of the types the subscriber asked for. */
  subscribe(options?: SubscribeOptions): Observable<SubscriptionMessage> {
    const types = options?.types;

    return this.inner.subscribe(options).pipe(
      concatMap(async (message): Promise<SubscriptionMessage | undefined> => {
        if (message.kind !== 'event') return message;
        if (types !== undefined && !types.has(message.event.type)) {
          return { kind: 'passed', position: message.event.position };
        }

        const event = await this.openUnlessErased(message.event);
        return event ? { kind: 'event', event } : undefined;
      }),
      filter((message) => message !== undefined),
    );
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Throws TenantKeysDeletedError for events its tenant's keys took. */
  private async checkReadable(type: string, tenantId: string): Promise<void> {
    if (this.encryption.policy.outliveKeys.has(type)) return;

    if (await this.encryption.keyring.isShredded(tenantId)) {
      throw new TenantKeysDeletedError(tenantId);
    }
  }

  private async seal(streamName: string, event: NewEvent): Promise<EventData> {
    const fields = this.encryption.policy.sealed.get(event.type) ?? [];
    const data = { ...event.data };

    for (const field of fields) {
      const value = data[field];
      if (value === undefined) continue;
      data[field] = await this.encryption.cipher.encrypt(
        address(event.metadata.tenantId, streamName, field),
        value,
      );
    }

    return data;
  }

  private async open(event: RecordedEvent): Promise<RecordedEvent> {
    await this.checkReadable(event.type, event.metadata.tenantId);

    const fields = this.encryption.policy.sealed.get(event.type) ?? [];
    if (fields.length === 0) return event;
    const data = { ...event.data };

    for (const field of fields) {
      const value = data[field];
      if (value === undefined) continue;
      // A value the policy seals but that is stored in the clear is as
      // wrong as a broken ciphertext.
      if (typeof value !== 'string') throw new DecryptionError('malformed');
      data[field] = await this.encryption.cipher.decrypt(
        address(event.metadata.tenantId, event.streamName, field),
        value,
      );
    }

    return { ...event, data };
  }

  private async openUnlessErased(
    event: RecordedEvent,
  ): Promise<RecordedEvent | undefined> {
    try {
      return await this.open(event);
    } catch (error) {
      if (error instanceof TenantKeysDeletedError) return undefined;
      throw error;
    }
  }
}

function address(
  tenantId: string,
  streamName: string,
  field: string,
): FieldAddress {
  return { tenantId, record: streamName, field: `data.${field}` };
}

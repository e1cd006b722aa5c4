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
import { DecryptionError } from './crypto-errors.js';
import type { FieldAddress } from './field-cipher.js';
import type { FieldCipher } from './field-cipher.js';

/** Which fields of each event type are sealed; the event catalog says. */
export type EventEncryptionPolicy = ReadonlyMap<string, readonly string[]>;

/**
 * An event store that seals the customer content of every event before it
 * leaves the process, and opens it on the way back. Each value is bound to
 * its tenant, its stream and its field.
 *
 * Reading one stream of a deleted tenant throws TenantKeysDeletedError.
 * The global log leaves out the sealed events of deleted tenants, as if
 * they had never been written; their other events still pass, so that
 * projections can see the deletion itself.
 */
export class EncryptingEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly cipher: FieldCipher,
    private readonly policy: EventEncryptionPolicy,
  ) {}

  async append(
    streamName: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const sealed = await Promise.all(
      events.map(async (event) => ({
        ...event,
        data: await this.seal(streamName, event),
      })),
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

  subscribe(options?: SubscribeOptions): Observable<SubscriptionMessage> {
    return this.inner.subscribe(options).pipe(
      concatMap(async (message) => {
        if (message.kind !== 'event') return message;

        const event = await this.openUnlessErased(message.event);
        return event ? { kind: 'event' as const, event } : undefined;
      }),
      filter((message) => message !== undefined),
    );
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async seal(streamName: string, event: NewEvent): Promise<EventData> {
    const fields = this.policy.get(event.type) ?? [];
    const data = { ...event.data };

    for (const field of fields) {
      const value = data[field];
      if (value === undefined) continue;
      data[field] = await this.cipher.encrypt(
        address(event.metadata.tenantId, streamName, field),
        value,
      );
    }

    return data;
  }

  private async open(event: RecordedEvent): Promise<RecordedEvent> {
    const fields = this.policy.get(event.type) ?? [];
    if (fields.length === 0) return event;
    const data = { ...event.data };

    for (const field of fields) {
      const value = data[field];
      if (value === undefined) continue;
      // A value the policy seals but that is stored in the clear is as
      // wrong as a broken ciphertext.
      if (typeof value !== 'string') throw new DecryptionError('malformed');
      data[field] = await this.cipher.decrypt(
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

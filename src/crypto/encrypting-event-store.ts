import { concatMap, filter } from 'rxjs';
import type { Observable } from 'rxjs';

import { TenantKeysDeletedError } from '../ports/errors.js';
import { newEventId } from '../ports/event-id.js';
import type {
  AppendResult,
  EventData,
  EventStore,
  ExpectedRevision,
  JsonValue,
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
import type { FieldAddress } from '../ports/value-sealer.js';
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
 * leaves the process, and opens it on the way back. An event's sealed
 * fields are sealed together, as one value bound to its tenant, its
 * stream and its id; events written when each field was sealed alone
 * (bound to its tenant, stream and field) still open.
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

  /** Each event is named here, as the store would, to bind its seal. */
  async append(
    streamName: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const sealed = await Promise.all(
      events.map(async (event) => {
        await this.checkReadable(event.type, event.metadata.tenantId);
        const named = { ...event, id: event.id ?? newEventId() };
        return { ...named, data: await this.seal(streamName, named) };
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

  /**
   * The event's sealed fields, all in one value under `$sealed`: one
   * cipher per event, whatever it carries. The value is bound to the
   * tenant, the stream and the event's id.
   */
  private async seal(
    streamName: string,
    event: NewEvent & { id: string },
  ): Promise<EventData> {
    const fields = this.encryption.policy.sealed.get(event.type) ?? [];
    const data = { ...event.data };
    const hidden: EventData = {};

    for (const field of fields) {
      const value = data[field];
      if (value === undefined) continue;
      hidden[field] = value;
      delete data[field];
    }
    if (Object.keys(hidden).length === 0) return data;

    data[sealedKey] = await this.encryption.cipher.encrypt(
      eventAddress(event.metadata.tenantId, streamName, event.id),
      hidden,
    );
    return data;
  }

  private async open(event: RecordedEvent): Promise<RecordedEvent> {
    await this.checkReadable(event.type, event.metadata.tenantId);

    const fields = this.encryption.policy.sealed.get(event.type) ?? [];
    if (fields.length === 0) return event;

    const data =
      event.data[sealedKey] === undefined
        ? await this.openEachField(event, fields)
        : await this.openTogether(event, fields);
    return { ...event, data };
  }

  private async openTogether(
    event: RecordedEvent,
    fields: readonly string[],
  ): Promise<EventData> {
    const { [sealedKey]: stored, ...data } = event.data;
    // A field the policy seals that sits in the clear beside the sealed
    // value is as wrong as a broken ciphertext.
    const clear = fields.some((field) => data[field] !== undefined);
    if (typeof stored !== 'string' || clear) {
      throw new DecryptionError('malformed');
    }

    const hidden = await this.encryption.cipher.decrypt(
      eventAddress(event.metadata.tenantId, event.streamName, event.id),
      stored,
    );
    if (!isObject(hidden)) throw new DecryptionError('malformed');

    return { ...data, ...hidden };
  }

  /** Events written before fields were sealed together: one per field. */
  private async openEachField(
    event: RecordedEvent,
    fields: readonly string[],
  ): Promise<EventData> {
    const data = { ...event.data };

    for (const field of fields) {
      const value = data[field];
      if (value === undefined) continue;
      // A value the policy seals but that is stored in the clear is as
      // wrong as a broken ciphertext.
      if (typeof value !== 'string') throw new DecryptionError('malformed');
      data[field] = await this.encryption.cipher.decrypt(
        fieldAddress(event.metadata.tenantId, event.streamName, field),
        value,
      );
    }

    return data;
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

/** Where an event keeps its sealed fields, together. */
const sealedKey = '$sealed';

function eventAddress(
  tenantId: string,
  streamName: string,
  eventId: string,
): FieldAddress {
  return { tenantId, record: `${streamName}/${eventId}`, field: sealedKey };
}

function fieldAddress(
  tenantId: string,
  streamName: string,
  field: string,
): FieldAddress {
  return { tenantId, record: streamName, field: `data.${field}` };
}

function isObject(value: JsonValue): value is EventData {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import {
  jsonEvent,
  type AllStreamResolvedEvent,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';

import {
  CorruptEventError,
  InvalidAppendError,
  StoreUnavailableError,
} from '../../ports/errors.js';
import type {
  EventData,
  EventMetadata,
  NewEvent,
  RecordedEvent,
} from '../../ports/event-store.js';

/*
 * How our events become EventStoreDB's and back. Metadata travels as the
 * event's JSON metadata; positions are commit positions.
 */

type ClientEvent = NonNullable<
  ResolvedEvent['event'] | AllStreamResolvedEvent['event']
>;

// EventStoreDB's events carry one log position. For every event not written
// in a legacy explicit transaction, commit and prepare are that position.
export function exactly(position: bigint): ReadPosition {
  return { commit: position, prepare: position };
}

export function checkAppend(
  streamName: string,
  events: readonly NewEvent[],
): void {
  if (streamName.length === 0) {
    throw new InvalidAppendError('Stream name is empty');
  }
  if (events.length === 0) {
    throw new InvalidAppendError('No events to append');
  }
  if (events.some(({ id }) => id !== undefined && !uuidPattern.test(id))) {
    throw new InvalidAppendError('An event id is not a UUID');
  }
}

const uuidPattern =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toEventData(event: NewEvent) {
  return jsonEvent({
    ...(event.id === undefined ? {} : { id: event.id }),
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata },
  });
}

// Without link resolution, every resolved event carries its event.
export function requireEvent<E>(resolved: { event?: E }): E {
  if (resolved.event === undefined) {
    throw new StoreUnavailableError('EventStoreDB sent a read without event');
  }

  return resolved.event;
}

/**
 * Our event, or nothing for the server's own events and for those up to
 * `after`, which a resumed subscription may pass again.
 */
export function userEventAfter(
  resolved: AllStreamResolvedEvent,
  after: bigint | undefined,
): RecordedEvent | undefined {
  const event = requireEvent(resolved);
  const seen = after !== undefined && event.position.commit <= after;
  if (seen || event.type.startsWith('$') || event.streamId.startsWith('$')) {
    return undefined;
  }

  return toRecordedEvent(event);
}

// Servers before 22.6 put this in place of a position on stream reads.
const noPosition = 2n ** 64n - 1n;

export function toRecordedEvent(event: ClientEvent): RecordedEvent {
  const corrupt = (reason: string) =>
    new CorruptEventError(event.streamId, event.revision, reason);

  const position = event.position?.commit;
  if (position === undefined || position === noPosition) {
    throw corrupt('the server gave no log position for it');
  }
  if (!event.isJson || !isJsonObject(event.data)) {
    throw corrupt('its data is not a JSON object');
  }
  if (!isJsonObject(event.metadata)) {
    throw corrupt('its metadata is not a JSON object');
  }

  return {
    id: event.id,
    streamName: event.streamId,
    revision: event.revision,
    position,
    type: event.type,
    data: event.data as EventData,
    metadata: event.metadata as unknown as EventMetadata,
    recordedAt: event.created,
  };
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

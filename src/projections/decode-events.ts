import { concatMap, EMPTY, of } from 'rxjs';
import type { OperatorFunction } from 'rxjs';

import type { DomainEvent, EventCodec } from '../domain/event-codec.js';
import type {
  RecordedEvent,
  SubscriptionMessage,
} from '../ports/event-store.js';
import type { Logger } from '../ports/logger.js';

export type DecodedMessage<Event> =
  | { kind: 'event'; event: Event; recorded: RecordedEvent }
  | { kind: 'passed'; position: bigint }
  | { kind: 'caught-up'; position: bigint | undefined };

/**
 * Turns a subscription's raw events into domain events. A type this code
 * does not know is skipped and logged, so a newer writer cannot stop the
 * subscription; data that breaks a known schema errors the stream with
 * the event's stream and revision.
 */
export function decodeEvents<Event extends DomainEvent>(
  codec: EventCodec<Event>,
  logger: Logger,
): OperatorFunction<SubscriptionMessage, DecodedMessage<Event>> {
  return concatMap((message) => {
    if (message.kind !== 'event') return of(message);

    const recorded = message.event;
    const decoded = codec.decode(recorded);
    if (decoded.kind === 'unknown-type') {
      logger.warn(
        {
          streamName: recorded.streamName,
          revision: recorded.revision,
          position: recorded.position,
          type: decoded.type,
        },
        'skipping an event of unknown type',
      );
      return EMPTY;
    }

    return of({ kind: 'event' as const, event: decoded.event, recorded });
  });
}

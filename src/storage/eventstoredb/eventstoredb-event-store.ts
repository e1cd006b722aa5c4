import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  type AppendResult as ClientAppendResult,
  type ResolvedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import { Observable } from 'rxjs';

import { StoreUnavailableError } from '../../ports/errors.js';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamReadResult,
  SubscribeOptions,
  SubscriptionMessage,
} from '../../ports/event-store.js';
import type { Logger } from '../../ports/logger.js';
import {
  checkAppend,
  exactly,
  requireEvent,
  toEventData,
  toRecordedEvent,
  userEventAfter,
} from './event-mapping.js';
import { LogFollower } from './eventstoredb-subscription.js';
import type { ResubscribeDelays } from './eventstoredb-subscription.js';
import {
  streamReadFailure,
  toClientRevision,
  translateAppendError,
  translateConnectionStringError,
  translateStoreError,
} from './translation.js';

export interface EventStoreDbOptions {
  /** The waits, doubling, between attempts to resubscribe. */
  resubscribeDelays?: ResubscribeDelays;
}

const defaultDelays = { firstMs: 250, maxMs: 10_000 };

/** An event store on EventStoreDB. The client connects on first use. */
export function connectEventStoreDb(
  url: string,
  logger: Logger,
  options: EventStoreDbOptions = {},
): EventStoreDbEventStore {
  let client: EventStoreDBClient;
  try {
    client = EventStoreDBClient.connectionString(url);
  } catch (error) {
    throw translateConnectionStringError(error);
  }

  return new EventStoreDbEventStore(client, logger, options);
}

export class EventStoreDbEventStore implements EventStore {
  private readonly followers = new Set<LogFollower>();

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly logger: Logger,
    private readonly options: EventStoreDbOptions = {},
  ) {}

  async append(
    streamName: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    checkAppend(streamName, events);

    let result: ClientAppendResult;
    try {
      result = await this.client.appendToStream(
        streamName,
        events.map(toEventData),
        { expectedRevision: toClientRevision(expected) },
      );
    } catch (error) {
      throw translateAppendError(error, streamName, expected);
    }

    const nextRevision = result.nextExpectedRevision;
    const position =
      result.position?.commit ??
      (await this.positionOf(streamName, nextRevision));

    return { nextRevision, position };
  }

  // Older servers answer an idempotent retry without a position.
  private async positionOf(
    streamName: string,
    revision: bigint,
  ): Promise<bigint> {
    const { events } = await this.readStream(streamName, {
      fromRevision: revision,
      maxCount: 1,
    });
    if (events[0] === undefined) {
      throw new StoreUnavailableError(
        `EventStoreDB lost revision ${revision} of ${streamName}`,
      );
    }

    return events[0].position;
  }

  async readStream(
    streamName: string,
    options: ReadStreamOptions = {},
  ): Promise<StreamReadResult> {
    const backwards = options.direction === 'backwards';

    try {
      const read = this.client.readStream(streamName, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision ?? (backwards ? END : START),
        ...(options.maxCount === undefined
          ? {}
          : { maxCount: options.maxCount }),
      });
      return { streamExists: true, events: await collect(read) };
    } catch (error) {
      return streamReadFailure(error);
    }
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    return this.readAllAfter(options.after, options.maxCount ?? Infinity);
  }

  private async *readAllAfter(
    after: bigint | undefined,
    maxCount: number,
  ): AsyncGenerator<RecordedEvent> {
    if (maxCount <= 0) return;

    let count = 0;
    for await (const event of this.userEventsAfter(after)) {
      yield event;
      if (++count >= maxCount) return;
    }
  }

  // The client reads $all from a position inclusively, so the event at
  // `after` comes first and is skipped.
  private async *userEventsAfter(
    after: bigint | undefined,
  ): AsyncGenerator<RecordedEvent> {
    const read = this.client.readAll({
      fromPosition: after === undefined ? START : exactly(after),
    });

    try {
      for await (const resolved of read) {
        const event = userEventAfter(resolved, after);
        if (event) yield event;
      }
    } catch (error) {
      throw translateStoreError(error);
    } finally {
      await read.cancel().catch(() => undefined);
    }
  }

  // The newest entries of $all may be the server's own events; the head
  // is the newest of ours.
  async headPosition(): Promise<bigint | undefined> {
    const read = this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
    });

    try {
      for await (const resolved of read) {
        const event = userEventAfter(resolved, undefined);
        if (event) return event.position;
      }
      return undefined;
    } catch (error) {
      throw translateStoreError(error);
    } finally {
      await read.cancel().catch(() => undefined);
    }
  }

  subscribe(options: SubscribeOptions = {}): Observable<SubscriptionMessage> {
    return new Observable<SubscriptionMessage>((subscriber) => {
      const follower = new LogFollower(
        this.client,
        this.logger,
        this.options.resubscribeDelays ?? defaultDelays,
        options.after,
        subscriber,
      );
      this.followers.add(follower);
      follower.start();

      return () => {
        this.followers.delete(follower);
        follower.stop();
      };
    });
  }

  async close(): Promise<void> {
    for (const follower of this.followers) follower.complete();

    await this.client.dispose();
  }
}

async function collect(
  read: StreamingRead<ResolvedEvent>,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  try {
    for await (const resolved of read) {
      events.push(toRecordedEvent(requireEvent(resolved)));
    }
  } finally {
    await read.cancel().catch(() => undefined);
  }

  return events;
}

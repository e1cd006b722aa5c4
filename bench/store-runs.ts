import type {
  EventStore,
  ExpectedRevision,
  NewEvent,
} from '../src/ports/event-store.js';
import { timeOnce, writerLoops } from './measure.js';
import type { Slice, Timing } from './measure.js';
import { sampleEvent, sampleEvents } from './sample-events.js';

export const roundRobinStreams = 100;
export const eventsPerBulkAppend = 1000;

/** Makes the n-th event a writer appends. */
export type EventSource = (n: number) => NewEvent;

/**
 * Each append states the exact revision it expects, the way a command
 * handler that has just read its stream would, so every append pays for
 * the revision check.
 */
class StreamRevisions {
  private readonly last = new Map<string, bigint>();

  expected(stream: string): ExpectedRevision {
    return this.last.get(stream) ?? 'no_stream';
  }

  record(stream: string, nextRevision: bigint): void {
    this.last.set(stream, nextRevision);
  }
}

/** Appends one event at a time to one stream, waiting for each. */
function appendOneBy(
  store: EventStore,
  revisions: StreamRevisions,
  event: EventSource,
) {
  let n = 0;

  return async (stream: string): Promise<number> => {
    const result = await store.append(
      stream,
      [event(n++)],
      revisions.expected(stream),
    );
    revisions.record(stream, result.nextRevision);

    return 1;
  };
}

/** One writer, one event per append, round-robin over 100 streams. */
export function singleWriter(
  store: EventStore,
  event: EventSource = sampleEvent,
): Slice {
  const appendOne = appendOneBy(store, new StreamRevisions(), event);
  let turn = 0;

  return writerLoops(1, () =>
    appendOne(`single-${turn++ % roundRobinStreams}`),
  );
}

/**
 * Many writers, each on its own stream, each waiting for its append
 * before the next: the load that group commit is built for.
 */
export function concurrentWriters(
  store: EventStore,
  writers: number,
  event: EventSource = sampleEvent,
): Slice {
  const appendOne = appendOneBy(store, new StreamRevisions(), event);

  return writerLoops(writers, (writer) => appendOne(`writer-${writer}`));
}

/** Fills the log fast: appends of 1000 events, each to a new stream. */
export function bulkLoad(store: EventStore, events: number): Promise<Timing> {
  return timeOnce(async () => {
    for (let first = 0; first < events; first += eventsPerBulkAppend) {
      const count = Math.min(eventsPerBulkAppend, events - first);
      await store.append(
        `log-${first / eventsPerBulkAppend}`,
        sampleEvents(first, count),
        'no_stream',
      );
    }
    return events;
  });
}

/** Reads the global log from the start, through the port. */
export function readWholeLog(
  store: EventStore,
  maxCount?: number,
): Promise<Timing> {
  return timeOnce(async () => {
    let count = 0;
    for await (const _event of store.readAll({ maxCount })) count += 1;
    return count;
  });
}

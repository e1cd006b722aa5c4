import type { RecordedEvent } from '../../../src/ports/event-store.js';
import type { AckedEvent } from './worker-messages.js';

// Each check returns what breaks its rule, so a test can expect an empty
// list and print the culprits when it is not.

export async function readWholeLog(
  log: AsyncIterable<RecordedEvent>,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of log) events.push(event);

  return events;
}

/** Acknowledged events that are missing, or stored somewhere else. */
export function lostAcks(
  acked: readonly AckedEvent[],
  log: readonly RecordedEvent[],
): AckedEvent[] {
  const stored = new Map(log.map((event) => [event.id, event]));

  return acked.filter((ack) => {
    const event = stored.get(ack.id);
    return (
      event?.streamName !== ack.streamName || event.revision !== ack.revision
    );
  });
}

/** Events whose revision is not the one after their stream's previous. */
export function revisionGaps(log: readonly RecordedEvent[]): RecordedEvent[] {
  const next = new Map<string, bigint>();

  return log.filter((event) => {
    const expected = next.get(event.streamName) ?? 0n;
    next.set(event.streamName, event.revision + 1n);

    return event.revision !== expected;
  });
}

/** Events whose position does not come after the one before them. */
export function positionsOutOfOrder(
  log: readonly RecordedEvent[],
): RecordedEvent[] {
  return log.filter(
    (event, i) => i > 0 && event.position <= log[i - 1]!.position,
  );
}

/** Batches, by id, of which only some events were stored. */
export function partialBatches(log: readonly RecordedEvent[]): string[] {
  const found = new Map<string, { size: number; count: number }>();
  for (const { data } of log) {
    const batch = String(data.batch);
    const seen = found.get(batch) ?? { size: Number(data.size), count: 0 };
    found.set(batch, { ...seen, count: seen.count + 1 });
  }

  return [...found]
    .filter(([, { size, count }]) => size !== count)
    .map(([batch]) => batch);
}

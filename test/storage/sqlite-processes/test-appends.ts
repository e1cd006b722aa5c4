import { randomUUID } from 'node:crypto';

import type {
  AppendResult,
  EventData,
  EventStore,
  NewEvent,
} from '../../../src/ports/event-store.js';
import type { AckedEvent } from './worker-messages.js';

/** An event with a chosen id, so a process can report what it appended. */
export function testEvent(type: string, data: EventData): NewEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      tenantId: 'tenant-1',
      correlationId: randomUUID(),
      causationId: randomUUID(),
      schemaVersion: 1,
    },
  };
}

/** The stream and revision the store gave each event of one append. */
export function ackedEvents(
  streamName: string,
  events: readonly NewEvent[],
  { nextRevision }: AppendResult,
): AckedEvent[] {
  const first = nextRevision - BigInt(events.length) + 1n;

  return events.map((event, i) => ({
    id: event.id!,
    streamName,
    revision: first + BigInt(i),
  }));
}

/**
 * Appends `count` events, one per stream at a time and all streams at
 * once, so that the appends of each round share a group commit.
 */
export async function appendAcrossStreams(
  store: EventStore,
  streamNames: readonly string[],
  count: number,
): Promise<AckedEvent[]> {
  const acked: AckedEvent[] = [];

  for (let n = 0; n < count; n += streamNames.length) {
    const round = streamNames.slice(0, count - n).map(async (streamName) => {
      const events = [testEvent('Spread', { n })];
      const result = await store.append(streamName, events, 'any');

      return ackedEvents(streamName, events, result);
    });
    for (const events of await Promise.all(round)) acked.push(...events);
  }

  return acked;
}

import { silentLogger } from '../../src/logger.js';
import { SqliteEventStore } from '../../src/storage/sqlite/sqlite-event-store.js';
import { timeOnce } from '../measure.js';
import type { Timing } from '../measure.js';
import { moveEvent } from './work-item-moves.js';

const eventsPerAppend = 1000;

/** A log of work item moves for the projection to catch up on. */
export interface EventLog {
  store: SqliteEventStore;
  events: number;
  lastPosition: bigint;
  load: Timing;
}

/** Fills a new SQLite event store with `events` moves, 1000 per append. */
export async function loadEventLog(
  file: string,
  events: number,
): Promise<EventLog> {
  const store = new SqliteEventStore({ file, logger: silentLogger() });
  let lastPosition = 0n;

  const load = await timeOnce(async () => {
    for (let first = 0; first < events; first += eventsPerAppend) {
      const count = Math.min(eventsPerAppend, events - first);
      const moves = Array.from({ length: count }, (_, i) =>
        moveEvent(first + i, events),
      );
      const result = await store.append(
        `board-${first / eventsPerAppend}`,
        moves,
        'no_stream',
      );
      lastPosition = result.position;
    }
    return events;
  });

  return { store, events, lastPosition, load };
}

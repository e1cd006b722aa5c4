import type { RecordedEvent } from '../../src/ports/event-store.js';
import type { FixtureEvent } from './analytics-fixture.js';

/**
 * Events as the log would hand them to a projection, one tenant's, at
 * positions 1, 2, 3..., without a store.
 */
export function recordedEvents(
  appends: { stream: string; events: FixtureEvent[] }[],
  tenantId = 'tenant-1',
): RecordedEvent[] {
  let position = 0n;
  return appends.flatMap(({ stream, events }) =>
    events.map((event, revision) => ({
      id: `event-${++position}`,
      streamName: stream,
      revision: BigInt(revision),
      position,
      type: event.type,
      data: event.data,
      metadata: {
        tenantId,
        correlationId: 'c',
        causationId: 'c',
        schemaVersion: 1,
      },
      recordedAt: new Date(0),
    })),
  );
}

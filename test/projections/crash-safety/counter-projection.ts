import type { RecordedEvent } from '../../../src/ports/event-store.js';
import type { ReadDocument } from '../../../src/ports/read-store.js';
import { defineProjection } from '../../../src/projections/projection.js';
import type { Projection } from '../../../src/projections/projection.js';
import { pause } from '../../support/waiting.js';
import { counterCodec } from './counter-events.js';
import type { CounterEvent } from './counter-events.js';

export const countersCollection = 'crash_counters';

export interface CounterDocument extends ReadDocument {
  ticks: number;
  last: number;
  highest: number;
  lowest: number;
}

/**
 * Every update operator on one document per event. `$inc` counts each
 * event that reaches the store, so an event applied twice shows.
 */
export function counterProjection(
  onApplied: (recorded: RecordedEvent) => void = () => {},
  applyDelayMs = 0,
): Projection {
  return defineProjection<CounterEvent>({
    name: 'crash-counters',
    codec: counterCodec,
    collections: [countersCollection],
    handlers: {
      CounterTicked: async (event, recorded, store) => {
        const { counterId, value } = event.data;
        if (applyDelayMs > 0) await pause(applyDelayMs);
        await store.collection(countersCollection).update(
          counterId,
          {
            $inc: { ticks: 1 },
            $set: { last: value },
            $max: { highest: value },
            $min: { lowest: value },
          },
          { upsert: true, position: recorded.position },
        );
        onApplied(recorded);
      },
    },
  });
}

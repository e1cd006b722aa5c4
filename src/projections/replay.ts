import type { RecordedEvent } from '../ports/event-store.js';
import type { ReadStore } from '../ports/read-store.js';
import type { Projection, ProjectionBatch } from './projection.js';

/**
 * Applies events, in order, through every projection that handles them,
 * outside the runner: each projection takes them in one batch over the
 * store, finished at the end, even when an event fails.
 */
export async function replayThrough(
  projections: readonly Projection[],
  events: AsyncIterable<RecordedEvent>,
  store: ReadStore,
): Promise<void> {
  const open: { projection: Projection; batch: ProjectionBatch }[] = [];
  try {
    for (const projection of projections) {
      open.push({ projection, batch: await projection.openBatch(store) });
    }

    for await (const event of events) {
      for (const { projection, batch } of open) {
        if (projection.types.has(event.type)) await batch.apply(event);
      }
    }
  } finally {
    for (const { batch } of open) await batch.finish();
  }
}

import { z } from 'zod';

import { defineEvent, EventCodec } from '../../src/domain/event-codec.js';
import type { EventOf } from '../../src/domain/event-codec.js';
import type { NewEvent } from '../../src/ports/event-store.js';
import type { ReadDocument } from '../../src/ports/read-store.js';
import { defineProjection } from '../../src/projections/projection.js';
import type { Projection } from '../../src/projections/projection.js';

export const movesCollection = 'work_item_moves';

/** Each work item moves this many times in the log, on average. */
export const eventsPerDocument = 10;

const columns = ['Backlog', 'In progress', 'Review', 'Done'];

const benchEvents = [
  defineEvent(
    'WorkItemMoved',
    1,
    z.object({
      workItemId: z.string().min(1),
      boardId: z.string().min(1),
      from: z.string(),
      to: z.string(),
      movedAt: z.string(),
      movedBy: z.string(),
    }),
  ),
] as const;

type BenchEvent = EventOf<typeof benchEvents>;

export interface MovesDocument extends ReadDocument {
  moves: number;
  column: string;
}

export function documentCount(events: number): number {
  return Math.max(1, Math.floor(events / eventsPerDocument));
}

/** The n-th move of a log of `events`, about 300 bytes of JSON. */
export function moveEvent(n: number, events: number): NewEvent {
  const column = columns[n % columns.length]!;

  return {
    type: 'WorkItemMoved',
    data: {
      workItemId: workItemOf(n, events),
      boardId: 'board-7',
      from: columns[(n + columns.length - 1) % columns.length]!,
      to: column,
      movedAt: '2024-05-01T10:00:00.000Z',
      movedBy: 'user-42',
    },
    metadata: {
      tenantId: 'tenant-1',
      correlationId: `correlation-${n}`,
      causationId: `causation-${n}`,
      schemaVersion: 1,
    },
  };
}

/** Moves are spread round-robin, so consecutive events hit other items. */
export function workItemOf(n: number, events: number): string {
  return `item-${n % documentCount(events)}`;
}

export function columnOf(n: number): string {
  return columns[n % columns.length]!;
}

/**
 * The projection under test: one position-guarded upsert per event, which
 * counts the item's moves and keeps its column.
 */
export function workItemMovesProjection(): Projection {
  return defineProjection<BenchEvent>({
    name: 'work-item-moves',
    codec: new EventCodec<BenchEvent>(benchEvents),
    collections: [movesCollection],
    handlers: {
      WorkItemMoved: async (event, recorded, store) => {
        await store
          .collection(movesCollection)
          .update(
            event.data.workItemId,
            { $inc: { moves: 1 }, $set: { column: event.data.to } },
            { upsert: true, position: recorded.position },
          );
      },
    },
  });
}

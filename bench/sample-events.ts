import type { NewEvent } from '../src/ports/event-store.js';

/**
 * A board move as a connector would record it: about 300 bytes of JSON,
 * the size the store sees in practice. No id, so the store assigns one,
 * as it does for appends that do not need to be retried.
 */
export function sampleEvent(n: number): NewEvent {
  return {
    type: 'WorkItemMoved',
    data: {
      workItemId: `item-${n}`,
      boardId: 'board-7',
      from: 'In progress',
      to: 'Review',
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

export function sampleEvents(first: number, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) => sampleEvent(first + i));
}

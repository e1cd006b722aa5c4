import type { EventEncryptionPolicy } from '../../src/domain/event-catalog.js';
import type { NewEvent } from '../../src/ports/event-store.js';

export const benchTenantId = 'tenant-1';

const eventType = 'WorkItemUpdated';
/** The customer content of a work item: its summary and two people. */
export const contentFields = ['summary', 'assignee', 'reporter'] as const;
const fieldBytes = 100;

/**
 * The catalog entry of the work-item events the connectors will write,
 * sealing the first `count` of their content fields: ids, a status and
 * a time stay in the clear, as the stores need them.
 */
export function workItemPolicy(count: number): EventEncryptionPolicy {
  return {
    sealed: new Map([[eventType, contentFields.slice(0, count)]]),
    outliveKeys: new Set(),
  };
}

function padded(text: string): string {
  return text.padEnd(fieldBytes, ' .').slice(0, fieldBytes);
}

/** 100 bytes in each content field, different in every event. */
export function workItemUpdate(n: number): NewEvent {
  return {
    type: eventType,
    data: {
      workItemId: `item-${n}`,
      boardId: 'board-7',
      status: 'In progress',
      updatedAt: '2024-05-01T10:00:00.000Z',
      summary: padded(`Checkout fails for carts over 50 items (${n}) `),
      assignee: padded(`Ada Lovelace <ada.lovelace+${n}@example.com> `),
      reporter: padded(`Grace Hopper <grace.hopper+${n}@example.com> `),
    },
    metadata: {
      tenantId: benchTenantId,
      correlationId: `correlation-${n}`,
      causationId: `causation-${n}`,
      schemaVersion: 1,
    },
  };
}

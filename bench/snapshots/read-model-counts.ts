import type { ReadStore } from '../../src/ports/read-store.js';
import { workItemsCollection } from '../../src/projections/work-items/work-item-documents.js';
import type { WorkItemDocument } from '../../src/projections/work-items/work-item-documents.js';

/** What a tenant's work items hold. */
export interface WorkItemCounts {
  items: number;
  transitions: number;
}

const pageSize = 1000;

/**
 * Counts one tenant's work items and the transitions in their history,
 * read through the sealing store: the history is sealed at rest, and
 * opening it checks every document's ciphertext too.
 */
export async function workItemCounts(
  readModels: ReadStore,
  tenantId: string,
): Promise<WorkItemCounts> {
  const items = readModels.collection<WorkItemDocument>(workItemsCollection);
  const counts = { items: 0, transitions: 0 };
  let cursor: string | undefined;

  do {
    const page = await items.find(
      { tenantId },
      { limit: pageSize, ...(cursor === undefined ? {} : { cursor }) },
    );
    for (const item of page.items) {
      counts.items += 1;
      counts.transitions += item.history?.length ?? 0;
    }
    cursor = page.next;
  } while (cursor !== undefined);

  return counts;
}

/** Throws unless the counts are what the appended facts make. */
export function expectCounts(
  what: string,
  counted: WorkItemCounts,
  expected: WorkItemCounts,
): void {
  if (
    counted.items !== expected.items ||
    counted.transitions !== expected.transitions
  ) {
    throw new Error(
      `${what}: ${counted.items} work items with ${counted.transitions} ` +
        `transitions, expected ${expected.items} with ` +
        `${expected.transitions}`,
    );
  }
}

import type { Filter, ReadCollection, ReadDocument } from './read-store.js';

/**
 * Every document the filter matches, a page at a time in `_id` order,
 * for work over more documents than should be held at once.
 */
export async function* pagesOf<Doc extends ReadDocument>(
  collection: ReadCollection<Doc>,
  filter: Filter,
  pageSize: number,
): AsyncIterable<Doc[]> {
  let cursor: string | undefined;
  do {
    const page = await collection.find(filter, {
      limit: pageSize,
      ...(cursor === undefined ? {} : { cursor }),
    });
    yield page.items;
    cursor = page.next;
  } while (cursor !== undefined);
}

import { silentLogger } from '../../../src/logger.js';
import type { EventStore } from '../../../src/ports/event-store.js';
import type { ReadStore } from '../../../src/ports/read-store.js';
import { ProjectionRunner } from '../../../src/projections/projection-runner.js';
import { waitFor } from '../../support/waiting.js';
import { countersCollection, counterProjection } from './counter-projection.js';
import type { CounterDocument } from './counter-projection.js';

const pageSize = 1000;

/** Every counter document, in `_id` order. */
export async function allCounters(
  store: ReadStore,
): Promise<CounterDocument[]> {
  const counters = store.collection<CounterDocument>(countersCollection);
  const documents: CounterDocument[] = [];
  let cursor: string | undefined;

  do {
    const page = await counters.find(
      {},
      { limit: pageSize, ...(cursor ? { cursor } : {}) },
    );
    documents.push(...page.items);
    cursor = page.next;
  } while (cursor);

  return documents;
}

/**
 * Projects the whole log into a fresh read store with nothing killed,
 * in this process, and resolves once it has reached the last position.
 */
export async function cleanRebuild(
  eventStore: EventStore,
  readStore: ReadStore,
  lastPosition: bigint,
  timeoutMs: number,
): Promise<void> {
  const runner = new ProjectionRunner({
    eventStore,
    readStore,
    logger: silentLogger(),
    projections: [counterProjection()],
  });
  await runner.start();

  try {
    await waitFor(() => {
      const [status] = runner.status();
      if (status?.state === 'failed')
        throw new Error(status.lastError?.message);

      return status?.checkpoint === lastPosition.toString();
    }, timeoutMs);
  } finally {
    await runner.stop();
  }
}

/**
 * How two sets of documents differ, one line per document, the first
 * few only: twenty thousand documents make too long a diff to read.
 */
export function differences(
  actual: CounterDocument[],
  expected: CounterDocument[],
  shown = 5,
): string[] {
  const expectedById = new Map(expected.map((doc) => [doc._id, doc]));
  const actualIds = new Set(actual.map((doc) => doc._id));
  const found: string[] = [];

  for (const doc of actual) {
    const wanted = expectedById.get(doc._id);
    if (canonical(doc) !== canonical(wanted)) {
      found.push(`${canonical(doc)} where ${canonical(wanted)} was expected`);
    }
  }
  for (const doc of expected) {
    if (!actualIds.has(doc._id)) found.push(`${doc._id} is missing`);
  }

  return found.length > shown
    ? [...found.slice(0, shown), `and ${found.length - shown} more`]
    : found;
}

/** Field order differs between stores; it means nothing. */
function canonical(doc: CounterDocument | undefined): string {
  if (!doc) return 'nothing';

  const fields = Object.keys(doc).sort();
  return JSON.stringify(Object.fromEntries(fields.map((f) => [f, doc[f]])));
}

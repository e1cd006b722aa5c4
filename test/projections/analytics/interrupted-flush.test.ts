import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import type { RecordedEvent } from '../../../src/ports/event-store.js';
import type {
  ReadCollection,
  ReadDocument,
  ReadStore,
} from '../../../src/ports/read-store.js';
import { analyticsCollections } from '../../../src/projections/analytics/analytics-documents.js';
import { AnalyticsProjection } from '../../../src/projections/analytics/analytics-projection.js';
import { SqliteReadStore } from '../../../src/storage/sqlite/sqlite-read-store.js';
import { recordedEvents } from '../../support/recorded-events.js';
import {
  itemEvents,
  itemStream,
  statuses,
} from '../../support/work-item-events.js';

class StoreGone extends Error {}

/**
 * A read store without transactions, as MongoDB is to the projections,
 * whose process dies after so many writes.
 */
class DyingStore implements ReadStore {
  writes = 0;

  constructor(
    private readonly inner: ReadStore,
    private readonly writesLeft = Infinity,
  ) {}

  collection<Doc extends ReadDocument>(name: string): ReadCollection<Doc> {
    const inner = this.inner.collection<Doc>(name);
    const write = <T>(work: () => Promise<T>) => {
      if (this.writes >= this.writesLeft) throw new StoreGone();
      this.writes += 1;
      return work();
    };

    return {
      get: (id) => inner.get(id),
      find: (filter, options) => inner.find(filter, options),
      insert: (doc) => write(() => inner.insert(doc)),
      replace: (doc, expected) => write(() => inner.replace(doc, expected)),
      update: (id, update, options) =>
        write(() => inner.update(id, update, options)),
      deleteMany: (filter) => write(() => inner.deleteMany(filter)),
      ensureIndexes: (indexes) => inner.ensureIndexes(indexes),
    };
  }

  inBatch<Result>(
    work: (batch: ReadStore) => Promise<Result>,
  ): Promise<Result> {
    return work(this);
  }

  ping(): Promise<boolean> {
    return this.inner.ping();
  }

  purgeDeleted(): Promise<void> {
    return this.inner.purgeDeleted();
  }

  async close(): Promise<void> {}
}

async function apply(store: ReadStore, events: RecordedEvent[]): Promise<void> {
  const projection = new AnalyticsProjection();
  const batch = await projection.openBatch(store);
  for (const event of events) await batch.apply(event);
  await batch.finish();
}

/**
 * Every analytics document, without its version, and without counters
 * at zero: one that went up and down in two batches stays at zero, one
 * that did so in one batch is never written. Both mean the same.
 */
async function documents(store: ReadStore) {
  const found: Record<string, unknown[]> = {};
  for (const name of analyticsCollections) {
    const { items } = await store
      .collection(name)
      .find({}, { sort: [['_id', 1]] });
    found[name] = items.map(({ _version, ...doc }) => withoutZeros(doc));
  }

  return found;
}

function withoutZeros(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return value;
  }

  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== 0)
      .map(([key, field]) => [key, withoutZeros(field)]),
  );
}

describe('an analytics batch that dies half-way through writing', function () {
  const { doing, review, done, toDo } = statuses;
  const events = recordedEvents(
    [
      [
        [1, doing],
        [20, review],
        [30, done],
      ],
      [
        [2, done],
        [5, toDo],
        [9, doing],
      ],
      [
        [3, review],
        [8, done],
      ],
      [
        [1, doing],
        [50, done],
      ],
    ].map((moves, n) => ({
      stream: itemStream('jira', String(n)),
      events: itemEvents(
        'jira',
        String(n),
        `2024-05-${10 + n}T10:00:00.000Z`,
        moves as [number, (typeof statuses)[keyof typeof statuses]][],
      ),
    })),
  );
  let dir: string;
  const stores: SqliteReadStore[] = [];
  const store = () => {
    const opened = new SqliteReadStore(
      path.join(dir, `read-${stores.length}.sqlite`),
    );
    stores.push(opened);
    return opened;
  };

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-flush-'));
  });

  after(async function () {
    for (const opened of stores) await opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is finished exactly by a replay cut differently, wherever it died', async function () {
    const clean = store();
    const half = Math.floor(events.length / 2);
    await apply(clean, events.slice(0, half));
    await apply(clean, events.slice(half));
    const expected = await documents(clean);

    const counting = new DyingStore(store());
    await apply(counting, events.slice(0, half));
    expect(counting.writes).to.be.greaterThan(10);

    for (let writes = 0; writes < counting.writes; writes++) {
      const target = store();
      const dying = new DyingStore(target, writes);
      let died = false;
      await apply(dying, events.slice(0, half)).catch((error: unknown) => {
        if (!(error instanceof StoreGone)) throw error;
        died = true;
      });
      expect(died, `after ${writes} writes`).to.equal(true);

      // The restarted runner reads on from its checkpoint, before the
      // batch that died, and cuts its batches where it likes.
      await apply(new DyingStore(target), events);
      expect(
        await documents(target),
        `died after ${writes} writes`,
      ).to.deep.equal(expected);
    }
  });
});

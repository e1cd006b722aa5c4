import { stages } from '../../domain/analytics/stage.js';
import type { Stage } from '../../domain/analytics/stage.js';
import { TenantKeysDeletedError } from '../../ports/errors.js';
import type {
  FieldValue,
  ReadDocument,
  ReadStore,
} from '../../ports/read-store.js';
import {
  analyticsCollections,
  catalogsCollection,
  finishedDaysCollection,
  finishedPointsCollection,
  itemsCollection,
  statusDaysCollection,
  tenantsCollection,
} from './analytics-documents.js';
import type {
  FinishedDayDocument,
  FinishedPoint,
  FinishedPointsDocument,
  StatusDayDocument,
  StatusTimes,
} from './analytics-documents.js';
import { EntryChanges } from './entry-changes.js';
import { packNumbers, unpackNumbers } from './packed-numbers.js';

/** The fields a generation's scoped document is found by. */
export type ScopeMeta = {
  tenantId: string;
  generation: number;
  scope: string;
};

type DayMeta = ScopeMeta & { day: number };

interface CounterWrite {
  meta: ScopeMeta & { month?: number };
  incs: Map<string, number>;
  position: bigint;
}

interface EntryWrite<Entry> {
  meta: DayMeta;
  changes: EntryChanges<Entry>;
  position: bigint;
}

/** A whole document to write, or null to delete it. */
interface DocumentWrite {
  fields: Record<string, FieldValue> | null;
  position: bigint;
}

/** Items guard what is derived from them; catalogs and tenants, items. */
const sourceOrder = [itemsCollection, catalogsCollection, tenantsCollection];

type Triple = [finishedAt: number, cycleMs: number, leadMs: number];
type StatusEntry = [status: string, stage: Stage, ms: number];

/**
 * What a batch of events changes in the analytics read models, kept in
 * memory and written once when the batch ends. Documents that others are
 * derived from are written after what is derived from them (counts and
 * entries, then items, then catalogs and tenants): each carries the last
 * position applied to it, so when a store without transactions stops
 * half-way, the replay redoes exactly what did not land.
 */
export class PendingWrites {
  private readonly counters = new Map<string, CounterWrite>();
  private readonly finishedDays = new Map<string, EntryWrite<Triple>>();
  private readonly points = new Map<string, EntryWrite<FinishedPoint>>();
  private readonly statusDays = new Map<string, EntryWrite<StatusEntry>>();
  /** By collection, then document id. */
  private readonly derived = new Map<string, Map<string, DocumentWrite>>();
  private readonly sources = new Map<string, Map<string, DocumentWrite>>();
  private readonly tenantsToForget = new Set<string>();

  count(
    collection: string,
    id: string,
    meta: CounterWrite['meta'],
    path: string,
    n: number,
    position: bigint,
  ): void {
    const key = `${collection}\t${id}`;
    const write = this.counters.get(key) ?? {
      meta,
      incs: new Map<string, number>(),
      position,
    };
    write.incs.set(path, (write.incs.get(path) ?? 0) + n);
    write.position = max(write.position, position);
    this.counters.set(key, write);
  }

  finished(
    id: string,
    meta: DayMeta,
    point: FinishedPoint,
    n: number,
    at: bigint,
  ) {
    const [finishedAt, cycleMs, leadMs] = point;
    entryWrite(this.finishedDays, id, meta, at).changes.change(
      [finishedAt, cycleMs, leadMs],
      n,
    );
    entryWrite(this.points, id, meta, at).changes.change(point, n);
  }

  statusTime(
    id: string,
    meta: DayMeta,
    entry: StatusEntry,
    n: number,
    at: bigint,
  ) {
    entryWrite(this.statusDays, id, meta, at).changes.change(entry, n);
  }

  /** A document derived from an item: its ageing entry or a fallback use. */
  setDerived(
    collection: string,
    id: string,
    fields: Record<string, FieldValue> | null,
    position: bigint,
  ): void {
    documentWrites(this.derived, collection).set(id, { fields, position });
  }

  /** An item, catalog or tenant document: what the rest is guarded by. */
  setSource(
    collection: string,
    id: string,
    fields: Record<string, FieldValue>,
    position: bigint,
  ): void {
    documentWrites(this.sources, collection).set(id, { fields, position });
  }

  /** A pending fallback use, if this batch has one: null if deleted. */
  pendingDerived(collection: string, id: string) {
    return this.derived.get(collection)?.get(id);
  }

  derivedIds(collection: string): string[] {
    return [...(this.derived.get(collection)?.keys() ?? [])];
  }

  /** Drops what the batch had for the tenant, and deletes all it had. */
  forgetTenant(tenantId: string): void {
    const ours = (meta: { tenantId: string }) => meta.tenantId === tenantId;

    for (const writes of [this.counters, this.finishedDays, this.points]) {
      for (const [key, write] of writes)
        if (ours(write.meta)) writes.delete(key);
    }
    for (const [key, write] of this.statusDays) {
      if (ours(write.meta)) this.statusDays.delete(key);
    }
    for (const byId of [...this.derived.values(), ...this.sources.values()]) {
      for (const [id, write] of byId) {
        if (write.fields?.['tenantId'] === tenantId) byId.delete(id);
      }
    }
    this.tenantsToForget.add(tenantId);
  }

  async flush(store: ReadStore): Promise<void> {
    for (const tenantId of this.tenantsToForget) {
      for (const name of analyticsCollections) {
        await store.collection(name).deleteMany({ tenantId });
      }
    }

    await this.flushCounters(store);
    await this.flushEntries(store, finishedDaysCollection, this.finishedDays);
    await this.flushEntries(store, finishedPointsCollection, this.points);
    await this.flushEntries(store, statusDaysCollection, this.statusDays);
    await flushDocuments(store, this.derived);
    await flushDocuments(store, this.sources, sourceOrder);
  }

  private async flushCounters(store: ReadStore): Promise<void> {
    for (const [key, write] of this.counters) {
      const collection = key.slice(0, key.indexOf('\t'));
      const id = key.slice(collection.length + 1);
      const $inc = Object.fromEntries(
        [...write.incs].filter(([, n]) => n !== 0),
      );
      if (Object.keys($inc).length === 0) continue;

      await sealed(() =>
        store
          .collection(collection)
          .update(
            id,
            { $set: write.meta, $inc },
            { upsert: true, position: write.position },
          ),
      );
    }
  }

  private async flushEntries<Entry>(
    store: ReadStore,
    collection: string,
    writes: Map<string, EntryWrite<Entry>>,
  ): Promise<void> {
    const documents = store.collection<ReadDocument>(collection);

    for (const [id, write] of writes) {
      if (write.changes.empty) continue;

      await sealed(async () => {
        const stored = await documents.get(id);
        const fields = entriesOf(collection, stored, write.changes, id);
        await documents.update(
          id,
          { $set: { ...write.meta, ...fields } },
          { upsert: true, position: write.position },
        );
      });
    }
  }
}

/** The new entry fields of a day document, from the stored ones. */
function entriesOf<Entry>(
  collection: string,
  stored: ReadDocument | undefined,
  changes: EntryChanges<Entry>,
  id: string,
): Record<string, FieldValue> {
  const what = `${collection}/${id}`;

  if (collection === finishedDaysCollection) {
    const doc = stored as FinishedDayDocument | undefined;
    const triples = changes.applyTo(
      triplesOf(unpackNumbers(doc?.entries)) as Entry[],
      what,
    ) as Triple[];
    triples.sort(compareNumbers);
    return { entries: packNumbers(triples.flat()) };
  }

  if (collection === finishedPointsCollection) {
    const doc = stored as FinishedPointsDocument | undefined;
    const points = changes.applyTo((doc?.points ?? []) as Entry[], what);
    (points as FinishedPoint[]).sort(comparePoints);
    return { points: points as FieldValue };
  }

  const doc = stored as StatusDayDocument | undefined;
  const entries = changes.applyTo(
    statusEntriesOf(doc?.statuses ?? []) as Entry[],
    what,
  );
  return { statuses: statusTimesOf(entries as StatusEntry[]) };
}

function triplesOf(values: Float64Array): Triple[] {
  const triples: Triple[] = [];
  for (let i = 0; i + 2 < values.length; i += 3) {
    triples.push([values[i]!, values[i + 1]!, values[i + 2]!]);
  }

  return triples;
}

function statusEntriesOf(statuses: StatusTimes[]): StatusEntry[] {
  return statuses.flatMap((group) =>
    [...unpackNumbers(group.values)].map((ms): StatusEntry => [
      group.status,
      group.stage,
      ms,
    ]),
  );
}

/** Grouped by status and stage, in stage order, then by name. */
function statusTimesOf(entries: StatusEntry[]): StatusTimes[] {
  const groups = new Map<
    string,
    { status: string; stage: Stage; ms: number[] }
  >();
  for (const [status, stage, ms] of entries) {
    const key = JSON.stringify([stages.indexOf(stage), status]);
    const group = groups.get(key) ?? { status, stage, ms: [] };
    group.ms.push(ms);
    groups.set(key, group);
  }

  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([, group]) => ({
      status: group.status,
      stage: group.stage,
      values: packNumbers(group.ms.sort((a, b) => a - b)),
    }));
}

function compareNumbers(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const order = a[i]! - b[i]!;
    if (order !== 0) return order;
  }

  return 0;
}

function comparePoints(a: FinishedPoint, b: FinishedPoint): number {
  return (
    compareNumbers(a.slice(0, 3) as number[], b.slice(0, 3) as number[]) ||
    (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0)
  );
}

async function flushDocuments(
  store: ReadStore,
  writes: Map<string, Map<string, DocumentWrite>>,
  order: readonly string[] = [...writes.keys()],
): Promise<void> {
  for (const collection of order) {
    const byId = writes.get(collection);
    if (!byId) continue;
    const documents = store.collection(collection);

    for (const [id, write] of byId) {
      await sealed(async () => {
        if (write.fields === null) {
          await documents.deleteMany({ _id: id });
          return;
        }
        await documents.update(
          id,
          { $set: write.fields },
          { upsert: true, position: write.position },
        );
      });
    }
  }
}

/**
 * A tenant shredded while its events were in flight has no key to seal
 * with: its documents are dropped, and its deletion removes the rest.
 */
async function sealed(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!(error instanceof TenantKeysDeletedError)) throw error;
  }
}

function entryWrite<Entry>(
  writes: Map<string, EntryWrite<Entry>>,
  id: string,
  meta: DayMeta,
  position: bigint,
): EntryWrite<Entry> {
  const write = writes.get(id) ?? {
    meta,
    changes: new EntryChanges<Entry>(),
    position,
  };
  write.position = max(write.position, position);
  writes.set(id, write);

  return write;
}

function documentWrites(
  writes: Map<string, Map<string, DocumentWrite>>,
  collection: string,
): Map<string, DocumentWrite> {
  let byId = writes.get(collection);
  if (!byId) {
    byId = new Map();
    writes.set(collection, byId);
  }

  return byId;
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

import { mondayOf } from '../../domain/analytics/civil-day.js';
import type { CivilDay } from '../../domain/analytics/civil-day.js';
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
  comboKey,
  finishedPointsCollection,
  finishedWeeksCollection,
  flowMonthsCollection,
  generationIdOf,
  itemsCollection,
  stageBalancesCollection,
  statusWeeksCollection,
  tenantsCollection,
  wipWeeksCollection,
} from './analytics-documents.js';
import type { FinishedPoint, WipEntry } from './analytics-documents.js';
import { EntryChanges } from './entry-changes.js';
import { finishedPoints, packedEntries, wipItems } from './entry-documents.js';
import type {
  EntryDocumentKind,
  FinishedTuple,
  StatusTuple,
} from './entry-documents.js';
import { GenerationDimensions } from './generation-dimensions.js';
import type { CounterRef } from './item-contributions.js';

/** The fields a generation's scoped document is found by. */
export type ScopeMeta = {
  tenantId: string;
  generation: number;
  scope: string;
};

type Meta = { tenantId: string; generation: number } & Record<
  string,
  number | string
>;

/**
 * Additions to one counter document: the tenant's totals, and each
 * place's, by the place's JSON until its numbers are known.
 */
interface CounterWrite {
  meta: Meta;
  all: Map<string, number>;
  places: Map<string, { place: EntryPlace; incs: Map<string, number> }>;
  position: bigint;
}

interface EntryWrite<Entry> {
  meta: Meta;
  changes: EntryChanges<Entry>;
  position: bigint;
}

/** A whole document to write, or null to delete it. */
interface DocumentWrite {
  fields: Record<string, FieldValue> | null;
  position: bigint;
}

/** Where a finished item counts: its connection, project and issue type. */
export type EntryPlace = [
  connectionId: string,
  projectIndex: string,
  issueTypeIndex: string,
];

export type FinishedEntry = [
  finishedAt: number,
  cycleMs: number,
  leadMs: number,
  key: string,
  day: CivilDay,
  ...place: EntryPlace,
];

export type WipItemEntry = [
  startedAt: number,
  key: string,
  status: string,
  ...place: EntryPlace,
];

export type StatusTimeEntry = [
  status: string,
  stage: Stage,
  ms: number,
  day: CivilDay,
  ...place: EntryPlace,
];

interface GenerationRef {
  tenantId: string;
  generation: number;
}

/** Items guard what is derived from them; catalogs and tenants, items. */
const sourceOrder = [itemsCollection, catalogsCollection, tenantsCollection];

/**
 * What a batch of events changes in the analytics read models, kept in
 * memory and written once when the batch ends. Documents that others are
 * derived from are written after what is derived from them (status
 * names, then counts and entries, then items, then catalogs and
 * tenants): each carries the last position applied to it, so when a
 * store without transactions stops half-way, the replay redoes exactly
 * what did not land.
 */
export class PendingWrites {
  private readonly months = new Map<string, CounterWrite>();
  private readonly balances = new Map<string, CounterWrite>();
  private readonly finishedWeeks = new Map<string, EntryWrite<FinishedEntry>>();
  private readonly statusWeeks = new Map<string, EntryWrite<StatusTimeEntry>>();
  private readonly wipWeeks = new Map<string, EntryWrite<WipItemEntry>>();
  /** By collection, then document id. */
  private readonly derived = new Map<string, Map<string, DocumentWrite>>();
  private readonly sources = new Map<string, Map<string, DocumentWrite>>();
  private readonly tenantsToForget = new Set<string>();

  /** Adds to a counter of a flow month, or of the stage balance. */
  count(
    generation: GenerationRef,
    place: EntryPlace,
    ref: CounterRef,
    n: number,
    position: bigint,
  ): void {
    const writes = ref.balance ? this.balances : this.months;
    const base = generationIdOf(generation.tenantId, generation.generation);
    const id = ref.balance ? base : `${base}|m${ref.month}`;
    let write = writes.get(id);
    if (!write) {
      const meta: Meta = {
        tenantId: generation.tenantId,
        generation: generation.generation,
      };
      if (!ref.balance) meta['month'] = ref.month;
      write = { meta, all: new Map(), places: new Map(), position };
      writes.set(id, write);
    }

    const placeKey = place.join('\t');
    let byPlace = write.places.get(placeKey);
    if (!byPlace) {
      byPlace = { place, incs: new Map() };
      write.places.set(placeKey, byPlace);
    }
    add(write.all, ref.path, n);
    add(byPlace.incs, ref.path, n);
    if (position > write.position) write.position = position;
  }

  /** Adds or removes a finished item of a week, one document per week. */
  finished(
    generation: GenerationRef,
    entry: FinishedEntry,
    n: number,
    at: bigint,
  ) {
    weekWrite(this.finishedWeeks, generation, entry[4], at).changes.change(
      entry,
      n,
    );
  }

  statusTime(
    generation: GenerationRef,
    entry: StatusTimeEntry,
    n: number,
    at: bigint,
  ): void {
    weekWrite(this.statusWeeks, generation, entry[3], at).changes.change(
      entry,
      n,
    );
  }

  /** Adds or removes an item in progress, by the week it started. */
  wip(
    generation: GenerationRef,
    day: CivilDay,
    entry: WipItemEntry,
    n: number,
    at: bigint,
  ): void {
    weekWrite(this.wipWeeks, generation, day, at).changes.change(entry, n);
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

  /** Drops what the batch had for the tenant, and deletes all it had. */
  forgetTenant(tenantId: string): void {
    const entries = [
      this.months,
      this.balances,
      this.finishedWeeks,
      this.statusWeeks,
      this.wipWeeks,
    ];
    for (const writes of entries as Map<string, { meta: Meta }>[]) {
      for (const [key, write] of writes) {
        if (write.meta.tenantId === tenantId) writes.delete(key);
      }
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

    const { dimensionsOf, ...numbered } = await this.numberedEntries(store);
    await flushCounters(store, flowMonthsCollection, this.months, dimensionsOf);
    await flushCounters(
      store,
      stageBalancesCollection,
      this.balances,
      dimensionsOf,
    );
    await flushEntries(
      store,
      finishedWeeksCollection,
      packedEntries,
      numbered.finished,
    );
    await flushEntries(
      store,
      finishedPointsCollection,
      finishedPoints,
      numbered.points,
    );
    await flushEntries(
      store,
      statusWeeksCollection,
      packedEntries,
      numbered.statuses,
    );
    await flushEntries(store, wipWeeksCollection, wipItems, numbered.wip);
    await flushDocuments(store, this.derived);
    await flushDocuments(store, this.sources, sourceOrder);
  }

  /**
   * The entries with their names and places replaced by numbers. New
   * numbers are written first, so no document holds a number that the
   * generation's dimensions do not.
   */
  private async numberedEntries(store: ReadStore) {
    const known = new Map<string, GenerationDimensions>();
    const dimensionsOf = async (meta: Meta) => {
      const id = generationIdOf(meta.tenantId, meta.generation);
      let dimensions = known.get(id);
      if (!dimensions) {
        dimensions = await GenerationDimensions.load(
          store,
          meta.tenantId,
          meta.generation,
        );
        known.set(id, dimensions);
      }
      return dimensions;
    };
    const finished = new Map<string, EntryWrite<FinishedTuple>>();
    const points = new Map<string, EntryWrite<FinishedPoint>>();
    const statuses = new Map<string, EntryWrite<StatusTuple>>();
    let last = 0n;

    for (const [id, write] of this.finishedWeeks) {
      const dimensions = await dimensionsOf(write.meta);
      const place = placeNumbers(dimensions);
      finished.set(id, {
        ...write,
        changes: write.changes.map(
          ([at, cycle, lead, , day, ...where]): FinishedTuple => [
            at,
            cycle,
            lead,
            day,
            ...place(where),
          ],
        ),
      });
      points.set(id, {
        ...write,
        changes: write.changes.map(
          ([at, cycle, lead, key, day, ...where]): FinishedPoint => [
            at,
            cycle,
            lead,
            key,
            day,
            ...place(where),
          ],
        ),
      });
      if (write.position > last) last = write.position;
    }
    for (const [id, write] of this.statusWeeks) {
      const dimensions = await dimensionsOf(write.meta);
      const place = placeNumbers(dimensions);
      statuses.set(id, {
        ...write,
        changes: write.changes.map(
          ([status, stage, ms, day, ...where]): StatusTuple => [
            dimensions.numberOf('statusNames', status),
            stages.indexOf(stage),
            ms,
            day,
            ...place(where),
          ],
        ),
      });
      if (write.position > last) last = write.position;
    }
    const wip = new Map<string, EntryWrite<WipEntry>>();
    for (const [id, write] of this.wipWeeks) {
      const place = placeNumbers(await dimensionsOf(write.meta));
      wip.set(id, {
        ...write,
        changes: write.changes.map(
          ([startedAt, key, status, ...where]): WipEntry => [
            startedAt,
            key,
            status,
            ...place(where),
          ],
        ),
      });
      if (write.position > last) last = write.position;
    }
    for (const write of [...this.months.values(), ...this.balances.values()]) {
      const place = placeNumbers(await dimensionsOf(write.meta));
      for (const { place: where } of write.places.values()) place(where);
      if (write.position > last) last = write.position;
    }
    for (const dimensions of known.values()) {
      await sealed(() => dimensions.save(store, last));
    }

    return { finished, points, statuses, wip, dimensionsOf };
  }
}

async function flushCounters(
  store: ReadStore,
  collection: string,
  writes: Map<string, CounterWrite>,
  dimensionsOf: (meta: Meta) => Promise<GenerationDimensions>,
): Promise<void> {
  const documents = store.collection(collection);

  for (const [id, write] of writes) {
    const place = placeNumbers(await dimensionsOf(write.meta));
    const $inc: Record<string, number> = {};
    for (const [path, n] of write.all) $inc[`all.${path}`] = n;
    for (const { place: where, incs } of write.places.values()) {
      const combo = comboKey(...place(where));
      for (const [path, n] of incs) $inc[`combos.${combo}.${path}`] = n;
    }
    if (Object.keys($inc).length === 0) continue;

    await sealed(() =>
      documents.update(
        id,
        { $set: write.meta, $inc },
        { upsert: true, position: write.position },
      ),
    );
  }
}

/** Adds to a counter; a counter back at zero needs no write. */
function add(counters: Map<string, number>, path: string, n: number): void {
  const sum = (counters.get(path) ?? 0) + n;
  if (sum === 0) counters.delete(path);
  else counters.set(path, sum);
}

async function flushEntries<Entry>(
  store: ReadStore,
  collection: string,
  kind: EntryDocumentKind<Entry>,
  writes: Map<string, EntryWrite<Entry>>,
): Promise<void> {
  const documents = store.collection<ReadDocument>(collection);

  for (const [id, write] of writes) {
    if (write.changes.empty) continue;

    await sealed(async () => {
      const stored = await documents.get(id);
      const fields = kind.merge(stored, write.changes, `${collection}/${id}`);
      await documents.update(
        id,
        { $set: { ...write.meta, ...fields } },
        { upsert: true, position: write.position },
      );
    });
  }
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

function weekWrite<Entry>(
  writes: Map<string, EntryWrite<Entry>>,
  generation: GenerationRef,
  day: CivilDay,
  position: bigint,
): EntryWrite<Entry> {
  const week = mondayOf(day);
  const id = generationIdOf(generation.tenantId, generation.generation, week);
  let write = writes.get(id);
  if (!write) {
    const meta: Meta = {
      tenantId: generation.tenantId,
      generation: generation.generation,
      week,
    };
    write = { meta, changes: new EntryChanges<Entry>(), position };
    writes.set(id, write);
  }
  if (position > write.position) write.position = position;

  return write;
}

function placeNumbers(dimensions: GenerationDimensions) {
  return ([connectionId, projectIndex, issueTypeIndex]: EntryPlace): [
    number,
    number,
    number,
  ] => [
    dimensions.numberOf('connections', connectionId),
    dimensions.numberOf('projects', projectIndex),
    dimensions.numberOf('issueTypes', issueTypeIndex),
  ];
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

import type { FieldValue, ReadDocument } from '../../ports/read-store.js';
import type {
  FinishedPoint,
  FinishedPointsDocument,
  WipEntry,
  WipWeekDocument,
} from './analytics-documents.js';
import { AnalyticsInconsistencyError } from './entry-changes.js';
import type { EntryChanges } from './entry-changes.js';
import { packNumbers, unpackNumbers } from './packed-numbers.js';

/** Finished at, cycle (-1 for none), lead, day, connection, project, type. */
export type FinishedTuple = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

/** Status, stage index, ms, day, connection, project, issue type. */
export type StatusTuple = FinishedTuple;

export const tupleWidth = 7;

/**
 * How each kind of entry document takes its changes: read what is
 * stored, apply the netted changes, and give the fields to set, in a
 * fixed order so that equal contents are stored alike.
 */
export interface EntryDocumentKind<Entry> {
  merge(
    stored: ReadDocument | undefined,
    changes: EntryChanges<Entry>,
    what: string,
  ): Record<string, FieldValue>;
}

/**
 * Entries packed as numbers, `tupleWidth` to an entry, under `entries`,
 * in order. A week's document holds thousands of entries and a batch
 * changes a few, so the changes are merged into the stored order in one
 * pass, without an array per entry or a sort of them all.
 */
export const packedEntries: EntryDocumentKind<FinishedTuple> = {
  merge(stored, changes, what) {
    const packed = unpackNumbers(stored?.['entries'] as string);
    const merged = isInOrder(packed)
      ? mergeInOrder(packed, changes, what)
      : changes.applyTo(tuplesOf(packed), what).sort(compareNumbers).flat();

    return { entries: packNumbers(merged) };
  },
};

export const finishedPoints: EntryDocumentKind<FinishedPoint> = {
  merge(stored, changes, what) {
    const points = (stored as FinishedPointsDocument | undefined)?.points;
    const merged = changes.applyTo(points ?? [], what).sort(comparePoints);

    return { points: merged };
  },
};

/** Oldest first; the key settles items started at the same instant. */
export const wipItems: EntryDocumentKind<WipEntry> = {
  merge(stored, changes, what) {
    const items = (stored as WipWeekDocument | undefined)?.items;
    const merged = changes
      .applyTo(items ?? [], what)
      .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));

    return { items: merged };
  },
};

export function tuplesOf(packed: Float64Array): FinishedTuple[] {
  const tuples: FinishedTuple[] = [];
  for (let i = 0; i + tupleWidth <= packed.length; i += tupleWidth) {
    tuples.push([...packed.subarray(i, i + tupleWidth)] as FinishedTuple);
  }

  return tuples;
}

/**
 * The stored entries with the changes applied, in order: what sorting
 * `applyTo`'s result gives, since equal entries are alike. A removal
 * must meet its entry where the order puts it: one that does not holds
 * up every removal after it, and the document and the items disagree.
 */
function mergeInOrder(
  packed: Float64Array,
  changes: EntryChanges<FinishedTuple>,
  what: string,
): Float64Array {
  const added: FinishedTuple[] = [];
  const removed: FinishedTuple[] = [];
  for (const { entry, n } of changes.counted()) {
    const into = n > 0 ? added : removed;
    for (let i = 0; i < Math.abs(n); i++) into.push(entry);
  }
  added.sort(compareNumbers);
  removed.sort(compareNumbers);

  const size = packed.length + (added.length - removed.length) * tupleWidth;
  const merged = new Float64Array(Math.max(size, 0));
  let out = 0;
  const put = (from: ArrayLike<number>, at: number) => {
    // More entries than planned: a removal found nothing to remove.
    if (out + tupleWidth > merged.length) throw missingEntry(what);
    for (let i = 0; i < tupleWidth; i++) merged[out++] = from[at + i]!;
  };
  let a = 0;
  let r = 0;

  for (let at = 0; at < packed.length; at += tupleWidth) {
    const toRemove = removed[r];
    if (toRemove && compareAt(toRemove, 0, packed, at) === 0) {
      r++;
      continue;
    }

    while (a < added.length && compareAt(added[a]!, 0, packed, at) <= 0) {
      put(added[a++]!, 0);
    }
    put(packed, at);
  }
  while (a < added.length) put(added[a++]!, 0);
  if (r < removed.length) throw missingEntry(what);

  return merged;
}

/** Whether each packed entry comes no earlier than the one before it. */
function isInOrder(packed: Float64Array): boolean {
  for (
    let at = tupleWidth;
    at + tupleWidth <= packed.length;
    at += tupleWidth
  ) {
    if (compareAt(packed, at - tupleWidth, packed, at) > 0) return false;
  }

  return packed.length % tupleWidth === 0;
}

function compareAt(
  a: ArrayLike<number>,
  aAt: number,
  b: ArrayLike<number>,
  bAt: number,
): number {
  for (let i = 0; i < tupleWidth; i++) {
    const order = a[aAt + i]! - b[bAt + i]!;
    if (order !== 0) return order;
  }

  return 0;
}

function missingEntry(what: string): AnalyticsInconsistencyError {
  return new AnalyticsInconsistencyError(
    `${what} lacks an entry it should hold`,
  );
}

function compareNumbers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const order = a[i]! - b[i]!;
    if (order !== 0) return order;
  }

  return 0;
}

function comparePoints(a: FinishedPoint, b: FinishedPoint): number {
  const [aAt, aCycle, aLead, aKey, ...aRest] = a;
  const [bAt, bCycle, bLead, bKey, ...bRest] = b;

  return (
    compareNumbers([aAt, aCycle, aLead], [bAt, bCycle, bLead]) ||
    (aKey < bKey ? -1 : aKey > bKey ? 1 : 0) ||
    compareNumbers(aRest, bRest)
  );
}

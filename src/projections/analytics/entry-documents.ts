import type { FieldValue, ReadDocument } from '../../ports/read-store.js';
import type {
  FinishedPoint,
  FinishedPointsDocument,
  WipEntry,
  WipWeekDocument,
} from './analytics-documents.js';
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

/** Entries packed as numbers, `tupleWidth` to an entry, under `entries`. */
export const packedEntries: EntryDocumentKind<FinishedTuple> = {
  merge(stored, changes, what) {
    const tuples = tuplesOf(unpackNumbers(stored?.['entries'] as string));
    const merged = changes.applyTo(tuples, what).sort(compareNumbers);

    return { entries: packNumbers(merged.flat()) };
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

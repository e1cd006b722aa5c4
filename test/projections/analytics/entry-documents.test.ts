import { expect } from 'chai';

import {
  AnalyticsInconsistencyError,
  EntryChanges,
} from '../../../src/projections/analytics/entry-changes.js';
import { packedEntries } from '../../../src/projections/analytics/entry-documents.js';
import type { FinishedTuple } from '../../../src/projections/analytics/entry-documents.js';
import {
  packNumbers,
  unpackNumbers,
} from '../../../src/projections/analytics/packed-numbers.js';

/** A seeded generator (mulberry32), so a failure can be replayed. */
function randomness(seed: number) {
  let state = seed >>> 0;

  return (below: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * below);
  };
}

/** Few distinct values, so that equal entries and ties are common. */
function randomTuple(next: (below: number) => number): FinishedTuple {
  return [next(3), next(2), next(4) * 1000.5, next(3), next(2), 0, next(2)];
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return 0;
}

function stored(tuples: FinishedTuple[]) {
  return { _id: 'week', entries: packNumbers([...tuples].flat()) };
}

function mergedTuples(entries: unknown): number[][] {
  const packed = [...unpackNumbers(entries as string)];
  const tuples: number[][] = [];
  for (let i = 0; i < packed.length; i += 7)
    tuples.push(packed.slice(i, i + 7));
  return tuples;
}

describe('packed entries of an analytics week', () => {
  it('merges changes as applying them and sorting everything would', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = randomness(seed);
      const tuples = Array.from({ length: next(40) }, () => randomTuple(next));
      const changes = new EntryChanges<FinishedTuple>();
      const removable = [...tuples];
      for (let i = next(12); i > 0 && removable.length > 0; i--) {
        const [taken] = removable.splice(next(removable.length), 1);
        changes.change(taken!, -1);
      }
      for (let i = next(12); i > 0; i--) changes.change(randomTuple(next), 1);

      const sorted = [...tuples].sort(compare);
      const expected = changes
        .applyTo(sorted, 'week')
        .map((tuple) => [...tuple])
        .sort(compare);
      const { entries } = packedEntries.merge(stored(sorted), changes, 'week');

      expect(mergedTuples(entries), `seed ${seed}`).to.deep.equal(expected);
    }
  });

  it('refuses to remove an entry the week does not hold', () => {
    const held: FinishedTuple = [1, 0, 5, 2, 0, 0, 0];
    const missing: FinishedTuple = [1, 0, 6, 2, 0, 0, 0];
    const changes = new EntryChanges<FinishedTuple>();
    changes.change(held, -1);
    changes.change(missing, -1);

    expect(() =>
      packedEntries.merge(stored([held]), changes, 'week 2026-01-05'),
    ).to.throw(AnalyticsInconsistencyError, 'week 2026-01-05');

    const alone = new EntryChanges<FinishedTuple>();
    alone.change(missing, -1);
    alone.change([0, 0, 0, 0, 0, 0, 0], 1);
    for (const week of [[held], [held, held], [missing.map((n) => n + 1)]]) {
      expect(() =>
        packedEntries.merge(stored(week as FinishedTuple[]), alone, 'week'),
      ).to.throw(AnalyticsInconsistencyError);
    }
  });

  it('removes one of two equal entries, and refuses a third removal', () => {
    const entry: FinishedTuple = [3, 1, 9, 4, 0, 1, 2];
    const once = new EntryChanges<FinishedTuple>();
    once.change(entry, -1);
    const { entries } = packedEntries.merge(stored([entry, entry]), once, 'w');
    expect(mergedTuples(entries)).to.deep.equal([[...entry]]);

    const thrice = new EntryChanges<FinishedTuple>();
    thrice.change(entry, -3);
    expect(() =>
      packedEntries.merge(stored([entry, entry]), thrice, 'w'),
    ).to.throw(AnalyticsInconsistencyError);
  });

  it('sorts a stored week that is out of order before it merges', () => {
    const late: FinishedTuple = [9, 0, 1, 1, 0, 0, 0];
    const early: FinishedTuple = [1, 0, 1, 1, 0, 0, 0];
    const changes = new EntryChanges<FinishedTuple>();
    changes.change(early, -1);
    changes.change([5, 0, 1, 1, 0, 0, 0], 1);

    const { entries } = packedEntries.merge(
      stored([late, early]),
      changes,
      'week',
    );

    expect(mergedTuples(entries)).to.deep.equal([
      [5, 0, 1, 1, 0, 0, 0],
      [...late],
    ]);
  });
});

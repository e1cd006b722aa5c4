import { expect } from 'chai';

import {
  AnalyticsInconsistencyError,
  EntryChanges,
} from '../../../src/projections/analytics/entry-changes.js';

type Entry = [day: number, key: string];

function sorted(entries: Entry[]): Entry[] {
  return [...entries].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
}

describe('entry changes of one analytics document', () => {
  it('adds and removes entries, netted within the batch', () => {
    const changes = new EntryChanges<Entry>();
    changes.change([1, 'A-1'], -1);
    changes.change([2, 'A-2'], 1);
    changes.change([3, 'A-3'], 1);
    changes.change([3, 'A-3'], -1);

    const stored: Entry[] = [
      [1, 'A-1'],
      [5, 'A-5'],
    ];

    expect(sorted(changes.applyTo(stored, 'week'))).to.deep.equal([
      [2, 'A-2'],
      [5, 'A-5'],
    ]);
    expect(stored, 'the stored entries are left as they were').to.have.length(
      2,
    );
  });

  it('removes as many equal entries as were removed, no more', () => {
    const changes = new EntryChanges<Entry>();
    changes.change([1, 'A-1'], -1);
    changes.change([1, 'A-1'], -1);

    const stored: Entry[] = [
      [1, 'A-1'],
      [1, 'A-1'],
      [1, 'A-1'],
    ];

    expect(changes.applyTo(stored, 'week')).to.deep.equal([[1, 'A-1']]);
  });

  it('fails when it must remove an entry the document lacks', () => {
    const changes = new EntryChanges<Entry>();
    changes.change([1, 'A-1'], -2);

    expect(() => changes.applyTo([[1, 'A-1']], 'week 2026-01-05')).to.throw(
      AnalyticsInconsistencyError,
      'week 2026-01-05 lacks an entry',
    );
  });

  it('applies thousands of removals to a large document', () => {
    const stored = Array.from({ length: 20_000 }, (_, i): Entry => [
      i,
      `A-${i}`,
    ]);
    const changes = new EntryChanges<Entry>();
    for (let i = 0; i < 20_000; i += 2) changes.change([i, `A-${i}`], -1);
    changes.change([20_000, 'A-20000'], 1);

    const result = sorted(changes.applyTo(stored, 'week'));

    expect(result).to.have.length(10_001);
    expect(result.slice(0, 2)).to.deep.equal([
      [1, 'A-1'],
      [3, 'A-3'],
    ]);
    expect(result.at(-1)).to.deep.equal([20_000, 'A-20000']);
  });
});

import { expect } from 'chai';

import {
  nearestRank,
  selectNearestRanks,
} from '../../../src/domain/analytics/percentiles.js';
import type { Percent } from '../../../src/domain/analytics/percentiles.js';

const percents: Percent[] = [95, 50, 85, 75];

/** A seeded generator (a linear congruential one), so failures replay. */
function numbers(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % below;
  };
}

describe('nearest-rank percentiles by selection', function () {
  it('equals the nearest rank of the sorted values', function () {
    for (let seed = 1; seed <= 400; seed++) {
      const next = numbers(seed);
      const spread = [3, 50, 1_000_000][seed % 3]!;
      const values = Float64Array.from({ length: next(300) + 1 }, () =>
        next(spread),
      );
      const sorted = Float64Array.from(values).sort();

      const selected = selectNearestRanks(values, percents);

      expect(selected, `seed ${seed}`).to.deep.equal(
        percents.map((p) => nearestRank(sorted, p)),
      );
    }
  });

  it('handles values already in order, reversed and all equal', function () {
    const count = 1001;
    const cases = [
      Float64Array.from({ length: count }, (_, i) => i),
      Float64Array.from({ length: count }, (_, i) => count - i),
      new Float64Array(count).fill(7),
    ];

    for (const values of cases) {
      const sorted = Float64Array.from(values).sort();
      expect(selectNearestRanks(values, percents)).to.deep.equal(
        percents.map((p) => nearestRank(sorted, p)),
      );
    }
  });

  it('gives null for no values, and the one value for one', function () {
    expect(selectNearestRanks(new Float64Array(0), [50])).to.deep.equal([null]);
    expect(selectNearestRanks(Float64Array.of(4.5), [50, 95])).to.deep.equal([
      4.5, 4.5,
    ]);
  });
});

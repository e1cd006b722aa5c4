/** The percentiles the analytics report, as whole percents. */
export type Percent = 50 | 75 | 85 | 95;

/**
 * The nearest-rank percentile: the value at rank ceil(p × n) of the
 * values sorted ascending, ranks counting from 1. Whole percents keep the
 * rank exact: 85 × n / 100 is never a float a hair above an integer.
 * Null for no values.
 */
export function nearestRank(
  sorted: ArrayLike<number>,
  percent: Percent,
): number | null {
  const n = sorted.length;
  if (n === 0) return null;

  const rank = Math.max(1, Math.ceil((percent * n) / 100));
  return sorted[rank - 1]!;
}

export function mean(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null;

  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/**
 * The nearest-rank percentiles of values in any order: what `nearestRank`
 * gives over the values sorted, without sorting them all. Each rank is
 * selected in place (quickselect), in ascending order, each from where
 * the one before left off; `values` ends up reordered.
 */
export function selectNearestRanks(
  values: Float64Array,
  percents: readonly Percent[],
): (number | null)[] {
  const n = values.length;
  if (n === 0) return percents.map(() => null);

  const ranks = percents.map((p) => Math.max(1, Math.ceil((p * n) / 100)));
  let from = 0;
  for (const rank of [...ranks].sort((a, b) => a - b)) {
    select(values, rank - 1, from, n - 1);
    from = rank - 1;
  }

  return ranks.map((rank) => values[rank - 1]!);
}

/**
 * Puts the value of sorted index `k` of `values[left..right]` at `k`,
 * with none larger before it and none smaller after it.
 */
function select(
  values: Float64Array,
  k: number,
  left: number,
  right: number,
): void {
  while (left < right) {
    const pivot = medianOfThree(
      values[left]!,
      values[(left + right) >>> 1]!,
      values[right]!,
    );
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swapped = values[i]!;
        values[i++] = values[j]!;
        values[j--] = swapped;
      }
    }

    // Now [left, j] holds no value above the pivot, [i, right] none below
    // it, and whatever lies between equals it.
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}

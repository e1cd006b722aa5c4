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

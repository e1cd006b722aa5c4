import { runLoad } from './load.js';
import type { LoadShape, Round, Target } from './load.js';

/** One thing to measure: a request, and how hard to send it. */
export interface Measurement {
  target: Target;
  shape: LoadShape;
  /** What sends the load; autocannon (`runLoad`) unless told. */
  runner?: (target: Target, shape: LoadShape) => Promise<Round>;
}

export interface RoundOptions {
  rounds: number;
  warmupSeconds: number;
  /** A pause after each run, so the next one starts on a quiet server. */
  settleMs: number;
  progress(line: string): void;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);

  return sorted.length % 2 === 1
    ? sorted[middle]!
    : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function settled(run: Promise<Round>, settleMs: number) {
  const round = await run;
  await new Promise((resolve) => setTimeout(resolve, settleMs));

  return round;
}

/**
 * Warms every measurement up once, then runs them in turn, round after
 * round. The cores are shared with other work and their speed drifts;
 * taking turns spreads a slow spell over all the measurements, and the
 * median of the rounds leaves out one bad spell.
 */
export async function interleaveRounds(
  measurements: readonly Measurement[],
  { rounds, warmupSeconds, settleMs, progress }: RoundOptions,
): Promise<Round[][]> {
  for (const { target, shape, runner = runLoad } of measurements) {
    const warmup = { ...shape, seconds: warmupSeconds };
    await settled(runner(target, warmup), settleMs);
  }

  const results = measurements.map((): Round[] => []);
  for (let round = 1; round <= rounds; round++) {
    progress(`round ${round} of ${rounds}`);
    for (const [i, measurement] of measurements.entries()) {
      const { target, shape, runner = runLoad } = measurement;
      results[i]!.push(await settled(runner(target, shape), settleMs));
    }
  }

  return results;
}

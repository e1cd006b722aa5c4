import { performance } from 'node:perf_hooks';

/** How many operations a piece of work did, and how long it took. */
export interface Timing {
  count: number;
  seconds: number;
}

export interface RunOptions {
  warmupMs: number;
  durationMs: number;
  /** Slices each measurement is cut into, taken in turn with the others. */
  rounds: number;
}

/** One step of a writer loop; it returns how many operations it did. */
export type Step = (writer: number) => Promise<number> | number;

/** A measurement that can run for any time and be resumed afterwards. */
export type Slice = (ms: number) => Promise<Timing>;

export function perSecond({ count, seconds }: Timing): number {
  return count / seconds;
}

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle]!;

  return (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Times one piece of work that runs to completion, such as a full read. */
export async function timeOnce(
  work: () => Promise<number> | number,
): Promise<Timing> {
  const start = performance.now();
  const count = await work();

  return { count, seconds: (performance.now() - start) / 1000 };
}

/**
 * Runs `writers` loops side by side, each awaiting its own step before it
 * takes the next, until the time is up. The time runs until the last step
 * in flight has finished, so no step is counted without its cost.
 */
export function writerLoops(writers: number, step: Step): Slice {
  return (ms) =>
    timeOnce(async () => {
      const deadline = performance.now() + ms;
      const loop = async (writer: number) => {
        let count = 0;
        while (performance.now() < deadline) count += await step(writer);
        return count;
      };

      const counts = await Promise.all(
        Array.from({ length: writers }, (_, writer) => loop(writer)),
      );

      return counts.reduce((sum, count) => sum + count, 0);
    });
}

/** A measurement taken in rounds: the sum, and the rate of each round. */
export interface Sampled {
  total: Timing;
  roundRates: number[];
}

function addRound(sampled: Sampled, round: Timing): Sampled {
  return {
    total: {
      count: sampled.total.count + round.count,
      seconds: sampled.total.seconds + round.seconds,
    },
    roundRates: [...sampled.roundRates, perSecond(round)],
  };
}

/**
 * Warms every measurement up, then runs them in alternating rounds. The
 * disk and the CPUs are shared with other work, and their speed drifts;
 * taking turns spreads a slow spell over all of them instead of skewing
 * one ratio. A warm-up of 0 ms skips the warm-up.
 */
export async function interleave(
  slices: readonly Slice[],
  { warmupMs, durationMs, rounds }: RunOptions,
): Promise<Sampled[]> {
  if (warmupMs > 0) for (const slice of slices) await slice(warmupMs);

  const sampled = slices.map((): Sampled => ({
    total: { count: 0, seconds: 0 },
    roundRates: [],
  }));
  for (let round = 0; round < rounds; round++) {
    for (const [i, slice] of slices.entries()) {
      const timing = await slice(durationMs / rounds);
      sampled[i] = addRound(sampled[i]!, timing);
    }
  }

  return sampled;
}

function joined(first: Sampled, second: Sampled): Sampled {
  return {
    total: {
      count: first.total.count + second.total.count,
      seconds: first.total.seconds + second.total.seconds,
    },
    roundRates: [...first.roundRates, ...second.roundRates],
  };
}

/**
 * As `interleave`, but every other round takes the slices in reverse
 * order, so that no slice always runs right after the same other one: on
 * a disk, a slice can pay for the writes of the slice before it.
 */
export async function interleaveBothWays(
  slices: readonly Slice[],
  { warmupMs, durationMs, rounds }: RunOptions,
): Promise<Sampled[]> {
  await interleave(slices, { warmupMs, durationMs: 0, rounds: 0 });

  let sampled = slices.map((): Sampled => ({
    total: { count: 0, seconds: 0 },
    roundRates: [],
  }));
  const oneRound = { warmupMs: 0, durationMs: durationMs / rounds, rounds: 1 };
  for (let round = 0; round < rounds; round++) {
    const reversed = round % 2 === 1;
    const order = reversed ? [...slices].reverse() : slices;
    const taken = await interleave(order, oneRound);
    const inOrder = reversed ? taken.reverse() : taken;
    sampled = sampled.map((sofar, i) => joined(sofar, inOrder[i]!));
  }

  return sampled;
}

/** The mean of one round, for measurements whose round is a whole pass. */
export function perRound({ total, roundRates }: Sampled): Sampled {
  const rounds = roundRates.length;

  return {
    total: { count: total.count / rounds, seconds: total.seconds / rounds },
    roundRates,
  };
}

import type { Round } from './load.js';
import type { MachineLoad } from './machine-load.js';
import { median } from './rounds.js';

/** The figures of load rounds, as the benchmarks' reports print them. */
export const integer = new Intl.NumberFormat('en-US', {
  maximumFractionDigits: 0,
});
export const decimal = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

export function medianRate(rounds: readonly Round[]): number {
  return median(rounds.map((round) => round.rate));
}

export function medianP50(rounds: readonly Round[]): number {
  return median(rounds.map((round) => round.p50Ms));
}

export function medianP99(rounds: readonly Round[]): number {
  return median(rounds.map((round) => round.p99Ms));
}

/** The median over the rounds that know it. */
export function medianCpu(rounds: readonly Round[]): number | undefined {
  const known = rounds.flatMap((round) =>
    round.serverCpuMs === undefined ? [] : [round.serverCpuMs],
  );

  return known.length === 0 ? undefined : median(known);
}

export function cpu(ms: number | undefined): string {
  if (ms === undefined) return '-';

  const digits = ms < 1 ? 3 : ms < 10 ? 2 : 1;
  return `${ms.toFixed(digits)} ms`;
}

export function rate(value: number): string {
  return value < 100 ? decimal.format(value) : integer.format(value);
}

export function range(
  values: readonly number[],
  format: (v: number) => string,
) {
  return `${format(Math.min(...values))} - ${format(Math.max(...values))}`;
}

export function milliseconds(value: number): string {
  return `${integer.format(value)} ms`;
}

export function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

export function failedCount(rounds: readonly Round[]): number {
  return rounds.reduce((sum, round) => sum + round.failed, 0);
}

export function failuresIn(label: string, rounds: readonly Round[]): string[] {
  const totals = new Map<string, number>();
  for (const round of rounds) {
    for (const [kind, count] of Object.entries(round.failures)) {
      totals.set(kind, (totals.get(kind) ?? 0) + count);
    }
  }
  if (totals.size === 0) return [];

  const kinds = [...totals].map(([kind, count]) => `${kind} x ${count}`);
  return [`  ${label}: ${kinds.join(', ')}`];
}

export function loadNote(load: MachineLoad | undefined): string[] {
  if (load === undefined) return [];

  const cores = (value: number) => decimal.format(value);
  return [
    '',
    `While measuring, of ${load.cores} cores: the bench and its servers ` +
      `kept ${cores(load.ours)} busy on average, other work ` +
      `${cores(load.others)}.`,
  ];
}

import { perSecond } from './measure.js';
import type { Sampled, Timing } from './measure.js';
import { fillBatch } from './raw-baselines.js';
import { eventsPerBulkAppend } from './store-runs.js';
import { formatTable, measurementAligns } from './text-table.js';

export interface Results {
  writers: number;
  singleWriter: Sampled;
  concurrentWriters: Sampled;
  rawSingle: Sampled;
  rawBatched: Sampled;
  /** One full pass: the mean of the passes. */
  adapterRead: Sampled;
  rawRead: Sampled;
  bulkLoad: Timing;
  rawFill: Timing;
}

export const rawBatchSize = 64;

const readTargetSeconds = 10;
const groupCommitTarget = 0.5;

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function seconds(timing: Timing): string {
  return `${timing.seconds.toFixed(2)} s`;
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

function ratio(measured: Sampled, baseline: Sampled): number {
  return perSecond(measured.total) / perSecond(baseline.total);
}

function spread(rates: readonly number[]): string {
  if (rates.length === 0) return '';

  const slowest = integer.format(Math.min(...rates));
  const fastest = integer.format(Math.max(...rates));
  return `${slowest} - ${fastest}`;
}

function row(label: string, timing: Timing, unit: string, rates: number[]) {
  return [
    label,
    integer.format(timing.count),
    seconds(timing),
    integer.format(perSecond(timing)),
    `${unit}/s`,
    spread(rates),
  ];
}

function sampledRow(
  label: string,
  { total, roundRates }: Sampled,
  unit: string,
) {
  return row(label, total, unit, roundRates);
}

function measurementTable(results: Results): string[] {
  const { writers } = results;
  const rows = [
    [
      'measurement',
      'count',
      'time',
      'rate',
      'unit',
      'rounds: slowest - fastest',
    ],
    sampledRow(
      '1  adapter, 1 writer, 1 event per append',
      results.singleWriter,
      'appends',
    ),
    sampledRow(
      `2  adapter, ${writers} writers, 1 event per append`,
      results.concurrentWriters,
      'appends',
    ),
    sampledRow(
      '3  adapter readAll(), whole log (mean pass)',
      results.adapterRead,
      'events',
    ),
    sampledRow('4a raw, 1 row per transaction', results.rawSingle, 'rows'),
    sampledRow(
      `4b raw, ${rawBatchSize} rows per transaction`,
      results.rawBatched,
      'rows',
    ),
    sampledRow(
      '4c raw SELECT ... ORDER BY position + JSON.parse',
      results.rawRead,
      'rows',
    ),
    row(
      `   adapter load, ${eventsPerBulkAppend} events per append`,
      results.bulkLoad,
      'events',
      [],
    ),
    row(
      `   raw load, ${fillBatch} rows/transaction, time-ordered ids`,
      results.rawFill,
      'rows',
      [],
    ),
  ];

  return formatTable(rows, measurementAligns);
}

function ratioTable(results: Results): string[] {
  const groupCommit = ratio(results.concurrentWriters, results.rawBatched);
  const fullRead = results.adapterRead.total;
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const rows = [
    ['ratio', 'measured', 'target', 'verdict'],
    [
      `2 / 4b  ${results.writers} writers / raw ${rawBatchSize}-row transactions`,
      percent(groupCommit),
      '>= 50%',
      verdict(groupCommit >= groupCommitTarget),
    ],
    [
      '1 / 4a  1 writer / raw 1-row transactions',
      percent(ratio(results.singleWriter, results.rawSingle)),
      '',
      '',
    ],
    [
      '3 / 4c  readAll() / raw read',
      percent(ratio(results.adapterRead, results.rawRead)),
      '',
      '',
    ],
    [
      `3       full readAll() of ${integer.format(fullRead.count)} events`,
      seconds(fullRead),
      `< ${readTargetSeconds} s`,
      verdict(fullRead.seconds < readTargetSeconds),
    ],
  ];

  return formatTable(rows, ['left', 'right', 'right', 'left']);
}

export function printReport(results: Results): void {
  const lines = ['', ...measurementTable(results), '', ...ratioTable(results)];

  console.log(lines.join('\n'));
}

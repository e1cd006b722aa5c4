import { perSecond } from '../measure.js';
import type { Sampled, Timing } from '../measure.js';
import { formatTable, measurementAligns } from '../text-table.js';
import type { Row } from '../text-table.js';

/** One store's passes: the runner's catch-up and the raw driver's writes. */
export interface StoreResults {
  runner: Sampled;
  raw: Sampled;
}

export type MongoResults =
  ({ measured: true } & StoreResults) | { measured: false; reason: string };

export interface ProjectionResults {
  batchSize: number;
  sqlite: StoreResults & { load: Timing; read: Sampled };
  mongo: MongoResults;
}

const catchUpTarget = 50_000;
const rawShareTarget = 0.5;

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function rate(timing: Timing): string {
  return integer.format(perSecond(timing));
}

function spread(rates: readonly number[]): string {
  if (rates.length === 0) return '';

  return `${integer.format(Math.min(...rates))} - ${integer.format(Math.max(...rates))}`;
}

function row(label: string, timing: Timing, unit: string, rates: number[]) {
  return [
    label,
    integer.format(timing.count),
    `${timing.seconds.toFixed(2)} s`,
    rate(timing),
    `${unit}/s`,
    spread(rates),
  ];
}

function sampledRow(label: string, sampled: Sampled, unit: string) {
  return row(label, sampled.total, unit, sampled.roundRates);
}

function mongoRows(mongo: MongoResults): Row[] {
  if (!mongo.measured) {
    return [
      ['3  MongoDB runner catch-up', 'not measured'],
      ['4  MongoDB raw updateOne, awaited one by one', 'not measured'],
    ];
  }

  return [
    sampledRow(
      '3  MongoDB runner catch-up (mean pass)',
      mongo.runner,
      'events',
    ),
    sampledRow(
      '4  MongoDB raw updateOne, awaited one by one',
      mongo.raw,
      'writes',
    ),
  ];
}

function measurementTable({ batchSize, sqlite, mongo }: ProjectionResults) {
  const rows = [
    [
      'measurement',
      'events',
      'time',
      'rate',
      'unit',
      'rounds: slowest - fastest',
    ],
    sampledRow(
      '1  SQLite runner catch-up (mean pass)',
      sqlite.runner,
      'events',
    ),
    sampledRow(
      `2  SQLite raw read-modify-write, ${batchSize} per transaction`,
      sqlite.raw,
      'writes',
    ),
    ...mongoRows(mongo),
    sampledRow(
      'r  SQLite log, readAll() through the port',
      sqlite.read,
      'events',
    ),
    row(
      '   SQLite log, loaded 1000 events per append',
      sqlite.load,
      'events',
      [],
    ),
  ];

  return formatTable(rows, measurementAligns);
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

function shareRow(label: string, { runner, raw }: StoreResults): Row {
  const share = perSecond(runner.total) / perSecond(raw.total);

  return [
    label,
    `${(share * 100).toFixed(1)}%`,
    `>= ${rawShareTarget * 100}%`,
    verdict(share >= rawShareTarget),
  ];
}

/**
 * The raw rate leaves out reading the log, which the runner cannot skip.
 * Reading it through the port and then writing raw, one after the other
 * on one thread, is the most a runner on one thread could reach; the
 * runner reads ahead on a second one, so with a core to spare it can
 * pass it. Shown for scale.
 */
function ceilingRow({ runner, raw, read }: ProjectionResults['sqlite']): Row {
  const perEvent = 1 / perSecond(read.total) + 1 / perSecond(raw.total);
  const share = perSecond(runner.total) * perEvent;

  return [
    '1 / (r + 2)  runner / (readAll(), then raw writes)',
    `${(share * 100).toFixed(1)}%`,
    `(${integer.format(1 / perEvent)} events/s)`,
    '',
  ];
}

function ratioTable({ sqlite, mongo }: ProjectionResults): string[] {
  const catchUp = perSecond(sqlite.runner.total);
  const rows = [
    ['ratio', 'measured', 'target', 'verdict'],
    [
      '1            SQLite catch-up',
      `${rate(sqlite.runner.total)} events/s`,
      `>= ${integer.format(catchUpTarget)} events/s`,
      verdict(catchUp >= catchUpTarget),
    ],
    shareRow('1 / 2        SQLite runner / raw', sqlite),
    ceilingRow(sqlite),
    mongo.measured
      ? shareRow('3 / 4        MongoDB runner / raw', mongo)
      : ['3 / 4        MongoDB runner / raw', 'not measured', '>= 50%', '-'],
  ];

  return formatTable(rows, ['left', 'right', 'right', 'left']);
}

export function printProjectionReport(results: ProjectionResults): void {
  const lines = [
    '',
    ...measurementTable(results),
    '',
    ...ratioTable(results),
    ...(results.mongo.measured
      ? []
      : ['', `MongoDB rows not measured: ${results.mongo.reason}`]),
  ];

  console.log(lines.join('\n'));
}

import type { MachineLoad } from '../api/machine-load.js';
import { median, perSecond } from '../measure.js';
import type { Timing } from '../measure.js';
import { formatTable, measurementAligns } from '../text-table.js';
import type { Row } from '../text-table.js';

/** One take-and-restore round, with its baselines. */
export interface SnapshotRound {
  take: Timing;
  sizeBytes: number;
  /** The status changes appended after the snapshot. */
  append: Timing;
  /** The live runner applying those changes before the restore. */
  live: Timing;
  restore: Timing;
  portRead: Timing;
  rawOut: Timing;
  rawIn: Timing;
}

export interface SnapshotResults {
  items: number;
  after: number;
  build: { append: Timing; catchUp: Timing };
  rounds: SnapshotRound[];
  load: MachineLoad | undefined;
}

const takeTargetSeconds = 10;
const restoreTargetSeconds = 20;

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

type Pick = (round: SnapshotRound) => Timing;

/** The round whose time is the median, so count and time go together. */
function medianOf(rounds: SnapshotRound[], pick: Pick): Timing {
  const seconds = median(rounds.map((round) => pick(round).seconds));
  const nearest = rounds
    .map(pick)
    .reduce((best, timing) =>
      Math.abs(timing.seconds - seconds) < Math.abs(best.seconds - seconds)
        ? timing
        : best,
    );

  return { count: nearest.count, seconds };
}

function spread(rounds: SnapshotRound[], pick: Pick): string {
  if (rounds.length < 2) return '';
  const times = rounds.map((round) => pick(round).seconds);

  return `${Math.min(...times).toFixed(2)} - ${Math.max(...times).toFixed(2)} s`;
}

function row(label: string, timing: Timing, unit: string, rounds = ''): Row {
  return [
    label,
    integer.format(timing.count),
    `${timing.seconds.toFixed(2)} s`,
    integer.format(perSecond(timing)),
    `${unit}/s`,
    rounds,
  ];
}

function roundRow(
  label: string,
  rounds: SnapshotRound[],
  pick: Pick,
  unit: string,
): Row {
  return row(label, medianOf(rounds, pick), unit, spread(rounds, pick));
}

function measurementTable(results: SnapshotResults): string[] {
  const { rounds, after } = results;
  const rows = [
    ['measurement (median round)', 'count', 'time', 'rate', 'unit', 'rounds'],
    roundRow(
      '1  take: request to copy recorded',
      rounds,
      (r) => r.take,
      'items',
    ),
    roundRow(
      `2  restore: request to caught up (+${integer.format(after)} events)`,
      rounds,
      (r) => r.restore,
      'items',
    ),
    roundRow(
      '3  port: find() of the stored work items, pages of 1,000',
      rounds,
      (r) => r.portRead,
      'docs',
    ),
    roundRow(
      '4  raw: SELECT rows, INSERT 1 MB chunks (out)',
      rounds,
      (r) => r.rawOut,
      'docs',
    ),
    roundRow(
      '5  raw: DELETE rows, INSERT rows from chunks (in)',
      rounds,
      (r) => r.rawIn,
      'docs',
    ),
    roundRow(
      `6  live runner: the same ${integer.format(after)} events`,
      rounds,
      (r) => r.live,
      'events',
    ),
    row(
      '   build: items appended, sealed, group commit',
      results.build.append,
      'events',
    ),
    row('   build: projections caught up', results.build.catchUp, 'events'),
  ];

  return formatTable(rows, measurementAligns);
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

function share(measured: Timing, baseline: Timing): string {
  return `${((baseline.seconds / measured.seconds) * 100).toFixed(1)}%`;
}

function ratioTable({ rounds }: SnapshotResults): string[] {
  const take = medianOf(rounds, (r) => r.take);
  const restore = medianOf(rounds, (r) => r.restore);
  const rows = [
    [
      'ratio (time of baseline / time measured)',
      'measured',
      'target',
      'verdict',
    ],
    [
      '1      take',
      `${take.seconds.toFixed(2)} s`,
      `<= ${takeTargetSeconds} s`,
      verdict(take.seconds <= takeTargetSeconds),
    ],
    [
      '2      restore and catch up',
      `${restore.seconds.toFixed(2)} s`,
      `<= ${restoreTargetSeconds} s`,
      verdict(restore.seconds <= restoreTargetSeconds),
    ],
    [
      '4 / 1  raw copy out / take',
      share(
        take,
        medianOf(rounds, (r) => r.rawOut),
      ),
      '',
      '',
    ],
    [
      '3 / 1  port read / take',
      share(
        take,
        medianOf(rounds, (r) => r.portRead),
      ),
      '',
      '',
    ],
    [
      '5 / 2  raw copy in / restore',
      share(
        restore,
        medianOf(rounds, (r) => r.rawIn),
      ),
      '',
      '',
    ],
    [
      '(5 + 6) / 2  raw copy in, then live runner / restore',
      share(restore, {
        count: 0,
        seconds:
          medianOf(rounds, (r) => r.rawIn).seconds +
          medianOf(rounds, (r) => r.live).seconds,
      }),
      '',
      '',
    ],
  ];

  return formatTable(rows, ['left', 'right', 'right', 'left']);
}

function sizeNote(results: SnapshotResults): string[] {
  const bytes = median(results.rounds.map((round) => round.sizeBytes));

  return [
    '',
    `Snapshot size: ${decimal.format(bytes / 1024 / 1024)} MiB of JSON ` +
      `for ${integer.format(results.items)} work items.`,
  ];
}

function loadNote(load: MachineLoad | undefined): string[] {
  if (load === undefined) return [];

  return [
    `While measuring, of ${load.cores} cores: the bench kept ` +
      `${decimal.format(load.ours)} busy on average, other work ` +
      `${decimal.format(load.others)}.`,
  ];
}

export function printSnapshotReport(results: SnapshotResults): void {
  const lines = [
    '',
    ...measurementTable(results),
    '',
    ...ratioTable(results),
    ...sizeNote(results),
    ...loadNote(results.load),
  ];

  console.log(lines.join('\n'));
}

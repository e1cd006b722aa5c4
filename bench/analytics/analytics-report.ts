import { perSecond } from '../measure.js';
import type { Timing } from '../measure.js';
import { formatTable } from '../text-table.js';
import type { LoadResult } from './query-load.js';

export interface AnalyticsResults {
  items: number;
  changes: number;
  load: Timing;
  catchUp: Timing;
  rate: number;
  rangeDays: number;
  queries: { name: string; result: LoadResult }[];
  helloFlatOut: LoadResult;
  helloAtRate: LoadResult;
}

const catchUpTarget = 20_000;
const p99TargetMs = 25;

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function eventTable(results: AnalyticsResults): string[] {
  const { catchUp, load } = results;
  const rate = perSecond(catchUp);

  return formatTable(
    [
      ['measurement', 'events', 'time', 'rate', 'target', 'verdict'],
      [
        'projection catch-up, runner start to live',
        integer.format(catchUp.count),
        `${catchUp.seconds.toFixed(1)} s`,
        `${integer.format(rate)} events/s`,
        `>= ${integer.format(catchUpTarget)}/s`,
        verdict(rate >= catchUpTarget),
      ],
      [
        'log load, encrypting SQLite store',
        integer.format(load.count),
        `${load.seconds.toFixed(1)} s`,
        `${integer.format(perSecond(load))} events/s`,
        '',
        '',
      ],
    ],
    ['left', 'right', 'right', 'right', 'right', 'left'],
  );
}

function queryTable(results: AnalyticsResults): string[] {
  const row = (name: string, result: LoadResult, target: boolean) => [
    name,
    integer.format(result.requests),
    integer.format(result.rate),
    ms(result.p50),
    ms(result.p99),
    ms(result.max),
    integer.format(result.failed),
    target ? `< ${p99TargetMs} ms` : '',
    target ? verdict(result.p99 < p99TargetMs && result.failed === 0) : '',
  ];

  return formatTable(
    [
      [
        'query',
        'requests',
        'req/s',
        'p50',
        'p99',
        'max',
        'failed',
        'target p99',
        'verdict',
      ],
      ...results.queries.map(({ name, result }) => row(name, result, true)),
      row(
        `Koa hello world at ${results.rate} req/s`,
        results.helloAtRate,
        false,
      ),
      row('Koa hello world, flat out', results.helloFlatOut, false),
    ],
    [
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'right',
      'left',
    ],
  );
}

export function printAnalyticsReport(results: AnalyticsResults): void {
  const lines = [
    '',
    ...eventTable(results),
    '',
    `Queries at ${results.rate} requests/s, ranges of ${results.rangeDays} days:`,
    ...queryTable(results),
  ];

  console.log(lines.join('\n'));
}

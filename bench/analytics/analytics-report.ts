import { perSecond } from '../measure.js';
import type { Timing } from '../measure.js';
import { formatTable } from '../text-table.js';
import type { LoadResult } from './query-load.js';

export interface AnalyticsResults {
  items: number;
  changes: number;
  load: Timing;
  catchUp: Timing;
  /** The runner with a projection that decodes the events and no more. */
  decodeOnly: Timing;
  /** The one-minute load average at the start and at the end. */
  loadAverage: [number, number];
  rate: number;
  rangeDays: number;
  /** Each query asked again and again, and asked for another range each time. */
  queries: { name: string; result: LoadResult; varied: LoadResult }[];
  helloFlatOut: LoadResult;
  helloAtRate: LoadResult;
  /** The service's log lines at warn or above, shortened. */
  serviceProblems: string[];
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
  const { catchUp, load, decodeOnly } = results;
  const rate = perSecond(catchUp);
  const share = rate / perSecond(decodeOnly);

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
        'baseline: runner, a projection that only decodes',
        integer.format(decodeOnly.count),
        `${decodeOnly.seconds.toFixed(1)} s`,
        `${integer.format(perSecond(decodeOnly))} events/s`,
        '',
        '',
      ],
      ['catch-up / baseline', '', '', `${(share * 100).toFixed(1)}%`, '', ''],
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
    result.cpuMs === undefined ? '' : `${result.cpuMs.toFixed(2)} ms`,
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
        'server CPU/answer',
        'failed',
        'target p99',
        'verdict',
      ],
      ...results.queries.flatMap(({ name, result, varied }) => [
        row(`${name}, one range`, result, true),
        row(`${name}, a new range each time`, varied, true),
      ]),
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
      'right',
      'left',
    ],
  );
}

export function printAnalyticsReport(results: AnalyticsResults): void {
  const [start, end] = results.loadAverage;
  const lines = [
    '',
    `load average: ${start.toFixed(1)} at the start, ${end.toFixed(1)} at the end`,
    '',
    ...eventTable(results),
    '',
    `Queries at ${results.rate} requests/s, ranges of ${results.rangeDays} days:`,
    ...queryTable(results),
    ...failureLines(results),
  ];

  console.log(lines.join('\n'));
}

/** How each failed answer failed, and what the service logged then. */
function failureLines({ queries, serviceProblems }: AnalyticsResults) {
  const failed = queries
    .flatMap(({ name, result, varied }) => [
      { label: `${name}, one range`, result },
      { label: `${name}, a new range each time`, result: varied },
    ])
    .filter(({ result }) => result.failed > 0);
  if (failed.length === 0) return [];

  return [
    '',
    'Failed answers:',
    ...failed.map(
      ({ label, result }) => `  ${label}: ${JSON.stringify(result.failures)}`,
    ),
    "The service's warnings and errors, as it logged them:",
    ...serviceProblems.map((line) => `  ${line}`),
  ];
}

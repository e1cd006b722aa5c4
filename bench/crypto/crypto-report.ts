import { median } from '../measure.js';
import type { Sampled } from '../measure.js';
import { formatTable, measurementAligns } from '../text-table.js';
import type { Row } from '../text-table.js';
import type { AppendResults } from './append-runs.js';

/** The four cipher measurements of one value size. */
export interface CipherResults {
  bytes: number;
  encrypt: Sampled;
  rawSeal: Sampled;
  decrypt: Sampled;
  rawOpen: Sampled;
}

/** How much of a core the process had while the cipher was measured. */
export interface CoreShare {
  cpuSeconds: number;
  wallSeconds: number;
}

export interface CryptoResults {
  ciphers: CipherResults[];
  cipherCore: CoreShare;
  appends: AppendResults;
  sealedFields: number;
  /** One event's data as stored, without and with encryption. */
  storedBytes: { clear: number; sealed: number };
}

/** Field operations per second per core, at 256 B. */
const fieldRateTarget = 100_000;
const fieldRateTargetBytes = 256;
const appendCostTarget = 0.1;

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function rate(sampled: Sampled): number {
  return median(sampled.roundRates);
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

function fields(count: number): string {
  return count === 1 ? '1 field' : `${count} fields`;
}

function size(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} B`;
}

/** A row's number, padded so that labels line up past row 9. */
function numbered(n: number, label: string): string {
  return `${String(n).padEnd(3)}${label}`;
}

/** Which rows a ratio is made of, padded so that labels line up. */
function referring(rows: string, label: string): string {
  return `${rows.padEnd(13)}${label}`;
}

function sampledRow(label: string, sampled: Sampled, unit: string): Row {
  const { total, roundRates } = sampled;

  return [
    label,
    integer.format(total.count),
    `${total.seconds.toFixed(2)} s`,
    integer.format(rate(sampled)),
    `${unit}/s`,
    `${integer.format(Math.min(...roundRates))} - ` +
      integer.format(Math.max(...roundRates)),
  ];
}

function cipherRows(cipher: CipherResults, first: number): Row[] {
  const at = size(cipher.bytes);

  const row = (n: number, label: string, sampled: Sampled) =>
    sampledRow(numbered(first + n, `${label}, ${at}`), sampled, 'ops');

  return [
    row(0, 'FieldCipher.encrypt', cipher.encrypt),
    row(1, 'raw seal', cipher.rawSeal),
    row(2, 'FieldCipher.decrypt', cipher.decrypt),
    row(3, 'raw open', cipher.rawOpen),
  ];
}

function appendRows({ appends }: CryptoResults, first: number): Row[] {
  const many = `${appends.writers} writers`;
  const row = (n: number, label: string, sampled: Sampled) =>
    sampledRow(numbered(first + n, label), sampled, 'appends');

  return [
    row(0, 'SqliteEventStore, 1 writer', appends.plainSingle),
    row(1, 'EncryptingEventStore, 1 writer', appends.sealedSingle),
    row(2, `SqliteEventStore, ${many}`, appends.plainConcurrent),
    row(3, `EncryptingEventStore, ${many}`, appends.sealedConcurrent),
  ];
}

const header = (time: string, rate: string) => [
  'measurement',
  'count',
  time,
  rate,
  'unit',
  'rounds: slowest - fastest',
];

function cipherTable({ ciphers }: CryptoResults): string[] {
  const rows = [
    header('CPU time', 'median'),
    ...ciphers.flatMap((cipher, i) => cipherRows(cipher, 1 + i * 4)),
  ];

  return formatTable(rows, measurementAligns);
}

function appendTable(results: CryptoResults): string[] {
  const rows = [
    header('time', 'median'),
    ...appendRows(results, 1 + results.ciphers.length * 4),
  ];

  return formatTable(rows, measurementAligns);
}

function share(measured: Sampled, baseline: Sampled): string {
  return percent(rate(measured) / rate(baseline));
}

function cipherRatioRows(cipher: CipherResults, first: number): Row[] {
  const at = size(cipher.bytes);
  const targeted = cipher.bytes === fieldRateTargetBytes;
  const target = targeted ? `>= ${integer.format(fieldRateTarget)}/s` : '';
  const rateRow = (n: number, label: string, sampled: Sampled): Row => [
    referring(`${first + n}`, `${label}, ${at}`),
    `${integer.format(rate(sampled))}/s`,
    target,
    targeted ? verdict(rate(sampled) >= fieldRateTarget) : '',
  ];
  const shareRow = (n: number, label: string, of: Sampled, to: Sampled) => [
    referring(`${first + n} / ${first + n + 1}`, `${label}, ${at}`),
    share(of, to),
    '',
    '',
  ];

  return [
    rateRow(0, 'field encryptions per core', cipher.encrypt),
    shareRow(0, 'encrypt / raw seal', cipher.encrypt, cipher.rawSeal),
    rateRow(2, 'field decryptions per core', cipher.decrypt),
    shareRow(2, 'decrypt / raw open', cipher.decrypt, cipher.rawOpen),
  ];
}

/**
 * What sealing takes off the append rate. Each round of the sealing store
 * runs right after the same round of the plain one, so the ratio is taken
 * round by round, where both met the same disk, and the median kept.
 */
function appendCost(sealed: Sampled, plain: Sampled): number {
  const ratios = sealed.roundRates.map(
    (rate, round) => rate / plain.roundRates[round]!,
  );

  return 1 - median(ratios);
}

function costRow(label: string, sealed: Sampled, plain: Sampled): Row {
  const cost = appendCost(sealed, plain);

  return [
    label,
    percent(cost),
    `<= ${appendCostTarget * 100}%`,
    verdict(cost <= appendCostTarget),
  ];
}

function ratioTable(results: CryptoResults): string[] {
  const first = 1 + results.ciphers.length * 4;
  const { appends } = results;
  const rows = [
    ['ratio', 'measured', 'target', 'verdict'],
    ...results.ciphers.flatMap((cipher, i) =>
      cipherRatioRows(cipher, 1 + i * 4),
    ),
    costRow(
      referring(`1 - ${first + 1} / ${first}`, 'append cost, 1 writer'),
      appends.sealedSingle,
      appends.plainSingle,
    ),
    costRow(
      referring(
        `1 - ${first + 3} / ${first + 2}`,
        `append cost, ${appends.writers} writers`,
      ),
      appends.sealedConcurrent,
      appends.plainConcurrent,
    ),
  ];

  return formatTable(rows, ['left', 'right', 'right', 'left']);
}

export function printCryptoReport(results: CryptoResults): void {
  const { clear, sealed } = results.storedBytes;
  const { cpuSeconds, wallSeconds } = results.cipherCore;
  const lines = [
    '',
    'Field cipher, one thread, rates per CPU-second of the process ' +
      `(it ran ${percent(cpuSeconds / wallSeconds)} of the wall time):`,
    ...cipherTable(results),
    '',
    'Appends, wall clock:',
    ...appendTable(results),
    '',
    ...ratioTable(results),
    '',
    'Rates are medians of the rounds; an append cost is 1 - the median of ' +
      "the rounds' sealed / plain rates.",
    `An appended event's data is ${clear} B in the clear, ${sealed} B with ` +
      `${fields(results.sealedFields)} sealed.`,
  ];

  console.log(lines.join('\n'));
}

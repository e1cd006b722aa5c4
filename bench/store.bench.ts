import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { silentLogger } from '../src/logger.js';
import { SqliteEventStore } from '../src/storage/sqlite/sqlite-event-store.js';
import { interleave, perRound } from './measure.js';
import type { RunOptions } from './measure.js';
import { RawEventTable } from './raw-baselines.js';
import { printReport, rawBatchSize } from './report.js';
import type { Results } from './report.js';
import {
  bulkLoad,
  concurrentWriters,
  eventsPerBulkAppend,
  readWholeLog,
  roundRobinStreams,
  singleWriter,
} from './store-runs.js';

const writers = 64;
const readWarmupEvents = 50_000;
const readPasses = 2;

interface Settings {
  events: number;
  run: RunOptions;
}

function readSettings(): Settings {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '1000000' },
      seconds: { type: 'string', default: '4' },
    },
  });
  const events = Number(values.events);
  const seconds = Number(values.seconds);
  if (!Number.isInteger(events) || events < 1) {
    throw new Error(`--events must be a positive integer: ${values.events}`);
  }
  if (!(seconds > 0)) {
    throw new Error(`--seconds must be positive: ${values.seconds}`);
  }

  return {
    events,
    run: { warmupMs: 1000, durationMs: seconds * 1000, rounds: 8 },
  };
}

function openStore(dir: string, name: string): SqliteEventStore {
  return new SqliteEventStore({
    file: path.join(dir, name),
    logger: silentLogger(),
  });
}

function progress(line: string): void {
  console.log(`  ${line}`);
}

async function measureWrites(dir: string, run: RunOptions) {
  const store = openStore(dir, 'writes.sqlite');
  const raw = new RawEventTable(path.join(dir, 'raw-writes.sqlite'));
  progress(
    `writes: 4 measurements, ${run.rounds} rounds each, taken in turn ` +
      `(${((run.warmupMs + run.durationMs) * 4) / 1000} s)`,
  );

  try {
    const [single, concurrent, rawSingle, rawBatched] = await interleave(
      [
        singleWriter(store),
        concurrentWriters(store, writers),
        raw.inserts(1),
        raw.inserts(rawBatchSize),
      ],
      run,
    );

    return {
      singleWriter: single!,
      concurrentWriters: concurrent!,
      rawSingle: rawSingle!,
      rawBatched: rawBatched!,
    };
  } finally {
    await store.close();
    raw.close();
  }
}

async function loadLogs(
  store: SqliteEventStore,
  raw: RawEventTable,
  events: number,
) {
  progress(`loading ${events} events through the adapter`);
  const load = await bulkLoad(store, events);
  progress(`loading ${events} rows raw`);
  const fill = await raw.fill(events);

  return { bulkLoad: load, rawFill: fill };
}

async function measureReads(
  store: SqliteEventStore,
  raw: RawEventTable,
  events: number,
) {
  const warmup = Math.min(readWarmupEvents, events);
  await readWholeLog(store, warmup);
  await raw.readAll(warmup);
  progress(`reads: ${readPasses} full passes each, taken in turn`);

  const [adapterRead, rawRead] = await interleave(
    [() => readWholeLog(store), () => raw.readAll()],
    { warmupMs: 0, durationMs: 0, rounds: readPasses },
  );

  return { adapterRead: perRound(adapterRead!), rawRead: perRound(rawRead!) };
}

async function measureLogs(dir: string, events: number) {
  const store = openStore(dir, 'log.sqlite');
  const raw = new RawEventTable(path.join(dir, 'raw-log.sqlite'));

  try {
    const loads = await loadLogs(store, raw, events);
    const reads = await measureReads(store, raw, events);

    return { ...loads, ...reads };
  } finally {
    await store.close();
    raw.close();
  }
}

function printHeader(dir: string, { events, run }: Settings): void {
  const raw = new RawEventTable(path.join(dir, 'pragmas.sqlite'));
  const pragmas = raw.pragmas();
  raw.close();
  const cpus = os.cpus();

  console.log(
    [
      'SqliteEventStore benchmark',
      `node ${process.version}, ${os.platform()} ${os.arch()}, ` +
        `${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}`,
      `files in ${dir}; ${pragmas} (adapter and raw alike)`,
      `writes: ${run.warmupMs / 1000} s warm-up + ${run.durationMs / 1000} s ` +
        'each; every append is 1 event with its exact expected revision;',
      `  1 writer round-robins over ${roundRobinStreams} streams, ` +
        `each of ${writers} writers owns a stream; the store assigns ids`,
      `reads: the whole log of ${events} events, loaded in appends of ` +
        `${eventsPerBulkAppend} events to new streams`,
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const settings = readSettings();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-bench-'));

  try {
    printHeader(dir, settings);
    const results: Results = {
      writers,
      ...(await measureWrites(dir, settings.run)),
      ...(await measureLogs(dir, settings.events)),
    };
    printReport(results);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();

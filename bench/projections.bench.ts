import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { interleave, perRound } from './measure.js';
import type { Sampled } from './measure.js';
import { loadEventLog } from './projections/event-log.js';
import type { EventLog } from './projections/event-log.js';
import { MongoDatabases } from './projections/mongo-databases.js';
import { mongoCatchUps } from './projections/mongo-runs.js';
import { printProjectionReport } from './projections/projection-report.js';
import type {
  MongoResults,
  ProjectionResults,
} from './projections/projection-report.js';
import { RawSqliteMoves } from './projections/raw-sqlite-moves.js';
import { ScratchFiles } from './projections/scratch-files.js';
import { readSettings } from './projections/settings.js';
import type { Settings } from './projections/settings.js';
import { sqliteCatchUps } from './projections/sqlite-runs.js';
import type { CatchUpSlices } from './projections/sqlite-runs.js';
import {
  documentCount,
  eventsPerDocument,
} from './projections/work-item-moves.js';
import { readWholeLog } from './store-runs.js';

const sqliteWarmupEvents = 20_000;
const mongoWarmupEvents = 100;

/** Scheme and host only: a URL may carry a password. */
function serverOf(url: string): string {
  try {
    const { protocol, host } = new URL(url);
    return `${protocol}//${host}`;
  } catch {
    return 'an unparsable MONGODB_URL';
  }
}

function progress(line: string): void {
  console.log(`  ${line}`);
}

/** Whole passes, taken in turn so a slow spell hits both sides alike. */
async function passes(slices: CatchUpSlices, rounds: number) {
  const [runner, raw] = await interleave([slices.runner, slices.raw], {
    warmupMs: 0,
    durationMs: 0,
    rounds,
  });

  return { runner: perRound(runner!), raw: perRound(raw!) };
}

/** One pass of each on a short log, so neither side pays for the JIT. */
async function warmUp(log: EventLog, slices: CatchUpSlices): Promise<void> {
  progress(`warm-up: one pass of each over ${log.events} events`);
  await slices.runner(0);
  await slices.raw(0);
}

async function withLog<T>(
  file: string,
  events: number,
  work: (log: EventLog) => Promise<T>,
): Promise<T> {
  const log = await loadEventLog(file, events);
  try {
    return await work(log);
  } finally {
    await log.store.close();
  }
}

async function readPasses(log: EventLog, rounds: number): Promise<Sampled> {
  const [read] = await interleave([() => readWholeLog(log.store)], {
    warmupMs: 0,
    durationMs: 0,
    rounds,
  });

  return perRound(read!);
}

async function measureSqlite(dir: string, settings: Settings) {
  const { events, rounds, batchSize } = settings;
  const files = new ScratchFiles(dir);
  const warmup = Math.min(sqliteWarmupEvents, events);
  await withLog(path.join(dir, 'warm-up.sqlite'), warmup, (log) =>
    warmUp(log, sqliteCatchUps(log, files, batchSize)),
  );

  progress(`SQLite: loading ${events} events`);
  return withLog(path.join(dir, 'events.sqlite'), events, async (log) => {
    progress(`SQLite: ${rounds} rounds of runner and raw, taken in turn`);
    const sampled = await passes(sqliteCatchUps(log, files, batchSize), rounds);
    const read = await readPasses(log, rounds);

    return { ...sampled, read, load: log.load };
  });
}

async function mongoPasses(
  dir: string,
  databases: MongoDatabases,
  { mongoEvents, mongoRounds, batchSize }: Settings,
): Promise<MongoResults> {
  const warmup = Math.min(mongoWarmupEvents, mongoEvents);
  await withLog(path.join(dir, 'mongo-warm-up.sqlite'), warmup, (log) =>
    warmUp(log, mongoCatchUps(log, databases, batchSize)),
  );

  progress(`MongoDB: ${mongoRounds} rounds of runner and raw, taken in turn`);
  const file = path.join(dir, 'mongo-events.sqlite');
  const sampled = await withLog(file, mongoEvents, (log) =>
    passes(mongoCatchUps(log, databases, batchSize), mongoRounds),
  );

  return { measured: true, ...sampled };
}

async function measureMongo(
  dir: string,
  settings: Settings,
): Promise<MongoResults> {
  const server = process.env['MONGODB_URL'];
  if (server === undefined) {
    return {
      measured: false,
      reason:
        'MONGODB_URL is not set (eval "$(bash .ci/start-ferretdb.sh)" ' +
        'starts FerretDB and sets it)',
    };
  }

  let databases: MongoDatabases;
  try {
    databases = await MongoDatabases.connect(server);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const host = serverOf(server);
    return { measured: false, reason: `cannot reach ${host}: ${message}` };
  }

  try {
    return await mongoPasses(dir, databases, settings);
  } finally {
    await databases.close();
  }
}

function pragmasOf(dir: string): string {
  const raw = new RawSqliteMoves(path.join(dir, 'pragmas.sqlite'));
  const pragmas = raw.pragmas();
  raw.close();

  return pragmas;
}

function printHeader(dir: string, settings: Settings): void {
  const { events, mongoEvents, batchSize } = settings;
  const cpus = os.cpus();
  const url = process.env['MONGODB_URL'];
  const mongo = url === undefined ? 'MONGODB_URL not set' : serverOf(url);

  console.log(
    [
      'Projection catch-up benchmark',
      `node ${process.version}, ${os.platform()} ${os.arch()}, ` +
        `${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}`,
      `files in ${dir}; read models: ${pragmasOf(dir)} ` +
        '(read store and raw alike)',
      'projection: per event, one position-guarded upsert of one document ' +
        '($inc a counter, $set a field)',
      `  ${eventsPerDocument} events per document on average; ` +
        `batches of ${batchSize} events; events in a SqliteEventStore`,
      `SQLite: ${events} events over ${documentCount(events)} documents`,
      `MongoDB (${mongo}): ${mongoEvents} events over ` +
        `${documentCount(mongoEvents)} documents`,
      'catch-up: from runner start until live with the checkpoint at the ' +
        'last event',
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const settings = readSettings();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-projections-'));

  try {
    printHeader(dir, settings);
    const results: ProjectionResults = {
      batchSize: settings.batchSize,
      sqlite: await measureSqlite(dir, settings),
      mongo: await measureMongo(dir, settings),
    };
    printProjectionReport(results);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();

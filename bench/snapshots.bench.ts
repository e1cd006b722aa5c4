import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startLoadCount } from './api/machine-load.js';
import { timeOnce } from './measure.js';
import {
  appendTenants,
  caughtUp,
  openBenchService,
} from './snapshots/bench-tenant.js';
import type { BenchService } from './snapshots/bench-tenant.js';
import { RawCopies, readThroughPort } from './snapshots/raw-copies.js';
import { expectCounts, workItemCounts } from './snapshots/read-model-counts.js';
import { readSettings } from './snapshots/settings.js';
import type { Settings } from './snapshots/settings.js';
import { printSnapshotReport } from './snapshots/snapshot-report.js';
import type {
  SnapshotResults,
  SnapshotRound,
} from './snapshots/snapshot-report.js';
import { SnapshotRuns } from './snapshots/snapshot-runs.js';

function progress(line: string): void {
  console.log(`  ${line}`);
}

function printHeader(dir: string, settings: Settings): void {
  const cpus = os.cpus();
  const { items, changes, after, rounds } = settings;

  console.log(
    [
      'Snapshot benchmark',
      `node ${process.version}, ${os.platform()} ${os.arch()}, ` +
        `${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}`,
      `data folder in ${dir}: the service's SQLite stores, encrypting, ` +
        'with every projection running',
      `tenant: ${items} work items, each observed once and moved ` +
        `${changes} times; a neighbour tenant with a tenth as many`,
      `${rounds} rounds: take a snapshot (SnapshotAdministration.take), ` +
        `append ${after} status changes, restore it`,
      "baselines: the tenant's work items read through the port, and " +
        'copied out and in with better-sqlite3',
      '',
    ].join('\n'),
  );
}

/** Builds both tenants and lets every projection catch up on them. */
async function build(service: BenchService, settings: Settings) {
  progress("appending the tenants' work items");
  const append = await appendTenants(service, settings.changes);
  progress(`projecting ${append.count} events`);
  const catchUp = await timeOnce(async () => {
    await caughtUp(service);
    return append.count;
  });

  return { append, catchUp };
}

/** The read models must hold every fact appended, for both tenants. */
async function checkModels(
  service: BenchService,
  settings: Settings,
): Promise<void> {
  const { readStore } = service.stores;
  const { tenant, neighbour } = service;

  expectCounts('tenant', await workItemCounts(readStore, tenant.tenantId), {
    items: tenant.items,
    transitions: service.changes,
  });
  expectCounts(
    'neighbour',
    await workItemCounts(readStore, neighbour.tenantId),
    {
      items: neighbour.items,
      transitions: neighbour.items * settings.changes,
    },
  );
}

function readModelsFile(service: BenchService): string {
  const settings = service.config.readStore;
  if (settings.kind !== 'sqlite') throw new Error('SQLite read store only');

  return settings.file;
}

async function round(
  n: number,
  service: BenchService,
  runs: SnapshotRuns,
  raw: RawCopies,
  settings: Settings,
): Promise<SnapshotRound> {
  const { tenantId } = service.tenant;
  progress(`round ${n + 1}: take`);
  const taken = await runs.take(n);
  progress(`round ${n + 1}: ${settings.after} more status changes`);
  const { append, live } = await runs.appendAfter(settings.after);
  progress(`round ${n + 1}: restore`);
  const restore = await runs.restore(n, taken.snapshotId);
  await checkModels(service, settings);

  progress(`round ${n + 1}: baselines`);
  const portRead = await readThroughPort(
    service.stores.storedReadModels,
    tenantId,
  );
  const rawOut = await raw.copyOut(tenantId);
  const rawIn = await raw.copyIn(tenantId);

  return {
    take: { ...taken.take, count: service.tenant.items },
    sizeBytes: taken.sizeBytes,
    append,
    live,
    restore: { ...restore, count: service.tenant.items },
    portRead,
    rawOut,
    rawIn,
  };
}

async function measure(
  service: BenchService,
  settings: Settings,
  dir: string,
): Promise<SnapshotResults> {
  await service.runner.start();
  const built = await build(service, settings);
  await checkModels(service, settings);

  const runs = new SnapshotRuns(service);
  const raw = new RawCopies(
    readModelsFile(service),
    path.join(dir, 'raw-copy.sqlite'),
  );
  try {
    // Fills the raw table once, so that every measured copy in deletes.
    await raw.copyOut(service.tenant.tenantId);
    await raw.copyIn(service.tenant.tenantId);

    const loadCount = startLoadCount([]);
    const rounds: SnapshotRound[] = [];
    for (let n = 0; n < settings.rounds; n += 1) {
      rounds.push(await round(n, service, runs, raw, settings));
    }

    return {
      items: settings.items,
      after: settings.after,
      build: built,
      rounds,
      load: loadCount?.(),
    };
  } finally {
    raw.close();
  }
}

async function main(): Promise<void> {
  const settings = readSettings();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-snapshots-'));

  try {
    printHeader(dir, settings);
    const service = await openBenchService(
      path.join(dir, 'data'),
      settings.items,
    );
    try {
      printSnapshotReport(await measure(service, settings, dir));
    } finally {
      await service.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();

import path from 'node:path';

import { expect } from 'chai';

import type { ReadStore } from '../../src/ports/read-store.js';
import { tempEventStore } from '../support/temp-stores.js';
import type { TempEventStore } from '../support/temp-stores.js';
import {
  allCounters,
  cleanRebuild,
  differences,
} from './crash-safety/counter-comparison.js';
import { runWithKills } from './crash-safety/crash-run.js';
import type { CrashPlan, CrashRun } from './crash-safety/crash-run.js';
import {
  mongoTargets,
  openReadStore,
  sqliteTargets,
} from './crash-safety/read-store-targets.js';
import type { ReadStoreTargets } from './crash-safety/read-store-targets.js';
import type { ReadStoreSpec } from './crash-safety/runner-messages.js';
import { RunnerProcesses } from './crash-safety/runner-process.js';

const mongoUrl = process.env['MONGODB_URL'];

// SQLite projects about 40,000 events a second here, and the default
// batch of 1,000 commits with its checkpoint in one transaction.
const sqlitePlan: CrashPlan = {
  size: { events: 200_000, counters: 20_000 },
  appendedFirst: 120_000,
  appendPauseMs: 20,
  batchSize: 1000,
  applyDelayMs: 0,
  kills: 8,
  killAfterMs: { min: 20, max: 400 },
  catchUpTimeoutMs: 60_000,
};

// FerretDB 1.24 takes 10 ms and more an update, growing with the size
// of the collection and with the load on the machine, so the log is
// small and batches are short: a kill every few seconds must still let
// checkpoints advance, and the clean rebuild gets a generous deadline.
// On a quiet machine it can be quick enough to catch up between kills,
// so each event waits 20 ms too: six lives of at most 5 s apply at most
// 1,500 of the 2,000 events.
const mongoPlan: CrashPlan = {
  size: { events: 2_000, counters: 200 },
  appendedFirst: 700,
  appendPauseMs: 2_000,
  batchSize: 50,
  applyDelayMs: 20,
  kills: 6,
  killAfterMs: { min: 1_000, max: 5_000 },
  catchUpTimeoutMs: 180_000,
};

describe('projection runner killed mid-catch-up', function () {
  let events: TempEventStore;
  let processes: RunnerProcesses | undefined;
  let targets: ReadStoreTargets | undefined;
  let readStores: ReadStore[];

  beforeEach(function () {
    events = tempEventStore();
    processes = undefined;
    targets = undefined;
    readStores = [];
  });

  afterEach(async function () {
    await processes?.killAll();
    for (const store of readStores) await store.close();
    await targets?.dispose();
    await events.dispose();
  });

  async function open(spec: ReadStoreSpec): Promise<ReadStore> {
    const store = await openReadStore(spec);
    readStores.push(store);

    return store;
  }

  /**
   * Crashes a runner child over and over while it projects the log, then
   * compares every document it left with a rebuild that was never killed.
   */
  async function crashAndCompare(
    chosen: ReadStoreTargets,
    plan: CrashPlan,
  ): Promise<void> {
    targets = chosen;
    processes = new RunnerProcesses({
      eventsFile: path.join(events.dir, 'events.sqlite'),
      progressFile: path.join(events.dir, 'applied-progress'),
      batchSize: plan.batchSize,
      applyDelayMs: plan.applyDelayMs,
    });
    const run = await runWithKills(
      { processes, eventStore: events.store, readStore: chosen.crashed },
      plan,
    );
    expectKillsMidCatchUp(run, plan);

    const crashed = await open(chosen.crashed);
    const clean = await open(chosen.clean);
    await cleanRebuild(
      events.store,
      clean,
      run.lastPosition,
      plan.catchUpTimeoutMs,
    );

    const crashedCounters = await allCounters(crashed);
    const cleanCounters = await allCounters(clean);
    expect(differences(crashedCounters, cleanCounters)).to.deep.equal([]);
    expect(crashedCounters).to.have.length(plan.size.counters);
    const ticks = crashedCounters.reduce((sum, doc) => sum + doc.ticks, 0);
    expect(ticks).to.equal(plan.size.events);
  }

  it('applies 200,000 events once on SQLite across 8 kills', async function () {
    this.timeout(120_000);

    await crashAndCompare(sqliteTargets(events.dir), sqlitePlan);
  });

  it('applies 2,000 events once on MongoDB across 6 kills', async function () {
    if (mongoUrl === undefined) {
      expect.fail(
        'MONGODB_URL is not set: start FerretDB with .ci/start-ferretdb.sh',
      );
    }
    this.timeout(420_000);

    await crashAndCompare(mongoTargets(mongoUrl), mongoPlan);
  });
});

/**
 * Each kill must land while the child still had log to apply, and the
 * next life must resume from the checkpoint the killed one stored. At
 * least one kill must cut a batch short, so that events are replayed.
 */
function expectKillsMidCatchUp(run: CrashRun, plan: CrashPlan): void {
  const killed = run.lives.slice(0, -1);
  expect(killed).to.have.length(plan.kills);

  for (const life of killed) {
    expect(life.lastReport.state).to.equal('catching-up');
  }

  const replayed = killed.filter((life, i) => {
    const resumed = run.lives[i + 1]!.startedFrom ?? 0n;
    const stored = life.lastReport.checkpoint ?? 0n;
    const message = `resumed at ${resumed}, before ${stored}`;
    expect(resumed >= stored, message).to.equal(true);

    return resumed < (life.lastApplied ?? 0n);
  });
  expect(replayed.length, 'kills that cut a batch short').to.be.above(0);
}

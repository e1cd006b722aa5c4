import path from 'node:path';

import { expect } from 'chai';

import { silentLogger } from '../../src/logger.js';
import type { Logger } from '../../src/ports/logger.js';
import { checkpointCollection } from '../../src/projections/checkpoints.js';
import type { Projection } from '../../src/projections/projection.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import type { RebuildProgress } from '../../src/projections/projection-status.js';
import { SqliteReadStore } from '../../src/storage/sqlite/sqlite-read-store.js';
import { capturedLogger } from '../support/captured-logger.js';
import { tempEventStore } from '../support/temp-stores.js';
import type { TempEventStore } from '../support/temp-stores.js';
import { waitFor } from '../support/waiting.js';
import {
  refusingProjection,
  tenantNamesCollection,
  tenantNamesProjection,
} from './tenant-projections.js';
import type { TenantNameDocument } from './tenant-projections.js';

const metadata = {
  tenantId: 't-1',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  schemaVersion: 1,
};

describe('ProjectionRunner', function () {
  let events: TempEventStore;
  let readStore: SqliteReadStore;
  let runners: ProjectionRunner[];

  beforeEach(function () {
    events = tempEventStore();
    readStore = new SqliteReadStore(path.join(events.dir, 'read.sqlite'));
    runners = [];
  });

  afterEach(async function () {
    for (const runner of runners) await runner.stop();
    await readStore.close();
    await events.dispose();
  });

  function runner(
    projections: Projection[],
    logger: Logger = silentLogger(),
    batchSize = 100,
    batchMs = 10,
  ) {
    const created = new ProjectionRunner({
      eventStore: events.store,
      readStore,
      logger,
      projections,
      batchMs,
      batchSize,
      headIntervalMs: 10,
    });
    runners.push(created);

    return created;
  }

  async function rename(stream: string, displayName: string) {
    const result = await events.store.append(
      stream,
      [{ type: 'TenantRenamed', data: { displayName }, metadata }],
      'any',
    );

    return result.position;
  }

  async function create(stream: string) {
    const data = { tenantId: stream, slug: stream, displayName: stream };
    const result = await events.store.append(
      stream,
      [{ type: 'TenantCreated', data, metadata }],
      'any',
    );

    return result.position;
  }

  function statusOf(of: ProjectionRunner, name: string) {
    const status = of.status().find((s) => s.name === name);
    if (!status) throw new Error(`no status for ${name}`);

    return status;
  }

  function tenantName(id: string) {
    return readStore
      .collection<TenantNameDocument>(tenantNamesCollection)
      .get(id);
  }

  async function storedCheckpoint(name: string) {
    const doc = await readStore.collection(checkpointCollection).get(name);

    return doc?.position;
  }

  async function runUntilLive(projections: Projection[]) {
    const started = runner(projections);
    await started.start();
    await waitFor(() => started.status().every((s) => s.state === 'live'));

    return started;
  }

  it('is live once it has caught up, not after a batch window', async function () {
    for (const stream of ['tenant-1', 'tenant-2', 'tenant-3']) {
      await rename(stream, `${stream} Ltd`);
    }
    // The events go at once, as the first after a quiet spell. The mark
    // that the log is read to its head comes in a later turn, which a
    // window of ten minutes would hold back.
    const tenMinutes = 600_000;
    const names = runner(
      [tenantNamesProjection()],
      silentLogger(),
      10,
      tenMinutes,
    );

    await names.start();
    await waitFor(() => statusOf(names, 'tenant-names').state === 'live');

    expect(await tenantName('tenant-3')).to.include({ name: 'tenant-3 Ltd' });
  });

  it('catches up, then applies live events', async function () {
    await rename('tenant-1', 'Acme');
    await create('tenant-2');
    await rename('tenant-1', 'Acme Ltd');
    const names = runner([tenantNamesProjection()]);

    await names.start();
    expect(statusOf(names, 'tenant-names').state).to.equal('catching-up');
    await waitFor(() => statusOf(names, 'tenant-names').state === 'live');
    const live = await rename('tenant-1', 'Acme Group');
    await waitFor(
      () => statusOf(names, 'tenant-names').checkpoint === String(live),
    );

    expect(await tenantName('tenant-1')).to.include({
      renames: 3,
      name: 'Acme Group',
    });
    expect(await tenantName('tenant-2')).to.equal(undefined);
    expect(await storedCheckpoint('tenant-names')).to.equal(String(live));
    expect(statusOf(names, 'tenant-names')).to.include({ applied: 3 });
  });

  it('goes live only once the past is applied', async function () {
    for (const name of ['Acme', 'Acme Ltd', 'Acme Group']) {
      await rename('tenant-1', name);
    }
    const slow = runner([tenantNamesProjection([], 20)], silentLogger(), 1);
    let appliedWhenLive: number | undefined;

    await slow.start();
    await waitFor(() => {
      const status = statusOf(slow, 'tenant-names');
      appliedWhenLive = status.applied;
      return status.state === 'live';
    });

    expect(appliedWhenLive).to.equal(3);
  });

  it('finishes and checkpoints the batch in flight on stop', async function () {
    await rename('tenant-1', 'Acme');
    const last = await rename('tenant-1', 'Acme Ltd');
    const invocations: bigint[] = [];
    const slow = runner([tenantNamesProjection(invocations, 50)]);
    await slow.start();
    await waitFor(() => invocations.length === 1);

    await slow.stop();

    expect(invocations).to.have.length(2);
    expect(await storedCheckpoint('tenant-names')).to.equal(String(last));
    expect(statusOf(slow, 'tenant-names').state).to.equal('stopped');
  });

  it('advances the checkpoint past events it does not handle', async function () {
    await rename('tenant-1', 'Acme');
    const last = await create('tenant-2');

    await runUntilLive([tenantNamesProjection()]);

    expect(await storedCheckpoint('tenant-names')).to.equal(String(last));
  });

  it('applies a replayed event only once', async function () {
    await rename('tenant-1', 'Acme');
    await rename('tenant-1', 'Acme Ltd');
    const first = await runUntilLive([tenantNamesProjection()]);
    await first.stop();
    await readStore.collection(checkpointCollection).deleteMany({});
    const invocations: bigint[] = [];

    await runUntilLive([tenantNamesProjection(invocations)]);

    expect(invocations).to.have.length(2);
    expect(await tenantName('tenant-1')).to.include({ renames: 2 });
  });

  it('resumes from its checkpoint after a restart', async function () {
    await rename('tenant-1', 'Acme');
    const first = await runUntilLive([tenantNamesProjection()]);
    await first.stop();
    const added = await rename('tenant-1', 'Acme Ltd');
    const invocations: bigint[] = [];

    await runUntilLive([tenantNamesProjection(invocations)]);

    expect(invocations).to.deep.equal([added]);
    expect(await tenantName('tenant-1')).to.include({ renames: 2 });
  });

  it('stops only the projection whose handler throws', async function () {
    const log = capturedLogger();
    const accepted = await rename('tenant-1', 'Acme');
    const refused = await rename('tenant-1', 'Confidential Name');
    const both = runner(
      [tenantNamesProjection(), refusingProjection('Confidential Name')],
      log.logger,
    );

    await both.start();
    await waitFor(() => statusOf(both, 'refusing').state === 'failed');
    await waitFor(() => statusOf(both, 'tenant-names').state === 'live');
    await rename('tenant-1', 'Acme Ltd');
    await waitFor(() => statusOf(both, 'tenant-names').applied === 3);

    expect(statusOf(both, 'refusing').lastError).to.deep.equal({
      code: 'handler_failed',
      message: 'cannot project this rename',
      streamName: 'tenant-1',
      revision: '1',
      position: String(refused),
    });
    expect(statusOf(both, 'refusing').checkpoint).to.equal(String(accepted));
    const failures = log.lines().filter((l) => l.msg === 'projection stopped');
    expect(failures).to.have.length(1);
    expect(failures[0]).to.include({
      projection: 'refusing',
      streamName: 'tenant-1',
      revision: '1',
      position: String(refused),
    });
    expect(JSON.stringify(log.lines())).not.to.contain('Confidential');
  });

  it('stops on data that breaks its schema, naming the event', async function () {
    const broken = await events.store.append(
      'tenant-1',
      [{ type: 'TenantRenamed', data: { displayName: '' }, metadata }],
      'any',
    );
    const names = runner([tenantNamesProjection()]);

    await names.start();
    await waitFor(() => statusOf(names, 'tenant-names').state === 'failed');

    expect(statusOf(names, 'tenant-names').lastError).to.include({
      code: 'event_schema_mismatch',
      streamName: 'tenant-1',
      position: String(broken.position),
    });
  });

  it('rebuilds the same documents and reports progress', async function () {
    await rename('tenant-1', 'Acme');
    await create('tenant-2');
    await rename('tenant-2', 'Beta');
    const last = await rename('tenant-1', 'Acme Ltd');
    const names = await runUntilLive([tenantNamesProjection()]);
    const collection = readStore.collection(tenantNamesCollection);
    const before = (await collection.find({})).items;
    await collection.update('tenant-1', { $set: { name: 'corrupted' } });
    const progress: RebuildProgress[] = [];

    const status = await names.rebuild('tenant-names', (p) => progress.push(p));

    expect((await collection.find({})).items).to.deep.equal(before);
    expect(status).to.include({ state: 'live', checkpoint: String(last) });
    expect(progress.at(-1)?.done).to.equal(4);
    expect(progress.every((p) => p.perSecond > 0)).to.equal(true);
    expect(progress.at(-1)?.etaSeconds).to.equal(0);
  });

  it('estimates the time a rebuild has left', async function () {
    for (let n = 0; n < 6; n++) await rename(`tenant-${n}`, `Name ${n}`);
    const names = runner([tenantNamesProjection()], silentLogger(), 2);
    await names.start();
    await waitFor(() => statusOf(names, 'tenant-names').state === 'live');
    const progress: RebuildProgress[] = [];

    await names.rebuild('tenant-names', (p) => progress.push(p));

    expect(progress.map((p) => p.done)).to.deep.equal([2, 4, 6]);
    expect(progress[0]?.etaSeconds).to.be.a('number');
    expect(progress.at(-1)?.etaSeconds).to.equal(0);
  });

  it('reports its lag behind the head of the log', async function () {
    const accepted = await rename('tenant-1', 'Acme');
    await rename('tenant-1', 'Confidential Name');
    const head = await rename('tenant-2', 'Beta');
    const both = runner([
      tenantNamesProjection(),
      refusingProjection('Confidential Name'),
    ]);

    await both.start();
    await waitFor(() => statusOf(both, 'refusing').state === 'failed');
    await waitFor(() => statusOf(both, 'tenant-names').state === 'live');
    await waitFor(() => statusOf(both, 'tenant-names').lag === 0);

    expect(statusOf(both, 'refusing').lag).to.equal(Number(head - accepted));
  });

  it('stops one of two runners of the same projection', async function () {
    await rename('tenant-1', 'Acme');
    const first = await runUntilLive([tenantNamesProjection()]);
    const second = await runUntilLive([tenantNamesProjection()]);

    await rename('tenant-1', 'Acme Ltd');
    const states = () =>
      [first, second].map((r) => statusOf(r, 'tenant-names').state).sort();
    await waitFor(() => states().includes('failed'));
    const survivor = [first, second].find(
      (r) => statusOf(r, 'tenant-names').state === 'live',
    );
    const latest = await rename('tenant-1', 'Acme Group');
    await waitFor(() => survivor?.status()[0]?.checkpoint === String(latest));

    expect(states()).to.deep.equal(['failed', 'live']);
    const loser = [first, second].find((r) => r !== survivor);
    expect(loser?.status()[0]?.lastError?.code).to.equal(
      'checkpoint_taken_over',
    );
    expect(await tenantName('tenant-1')).to.include({ renames: 3 });
  });
});

import { expect } from 'chai';

import { RetentionSweep } from '../../../src/commands/retention/retention-sweep.js';
import { RestoreGate } from '../../../src/commands/snapshots/restore-gate.js';
import { SnapshotAdministration } from '../../../src/commands/snapshots/snapshot-administration.js';
import { silentLogger } from '../../../src/logger.js';
import { ReadModelSnapshots } from '../../../src/projections/snapshots/read-model-snapshots.js';
import { SnapshotDirectory } from '../../../src/projections/snapshots/snapshot-directory.js';
import { loadConfig } from '../../../src/config/config.js';
import { retention } from '../../../src/service-api.js';
import { TestClock } from '../../support/identity-fixture.js';
import { serviceApi } from '../../support/service-api.js';
import type { ServiceApi } from '../../support/service-api.js';
import { pause } from '../../support/waiting.js';

const dayMs = 24 * 60 * 60 * 1000;

describe('retention sweep', function () {
  this.timeout(30_000);
  let api: ServiceApi;
  let clock: TestClock;
  let snapshots: SnapshotAdministration;
  let directory: SnapshotDirectory;
  let sweep: RetentionSweep;
  const purged: Date[] = [];

  beforeEach(async function () {
    api = await serviceApi();
    clock = new TestClock(new Date('2026-12-04T10:00:00.000Z'));
    const { service } = api;
    directory = new SnapshotDirectory(service.readStore);
    snapshots = new SnapshotAdministration({
      store: service.eventStore,
      logger: silentLogger(),
      copies: new ReadModelSnapshots({
        runner: service.projections,
        projections: service.serviceProjections.tenant,
        storedReadModels: service.storedReadModels,
        readModels: service.readStore,
        vault: service.snapshotVault,
        cipher: service.encryption.cipher,
        eventStore: service.eventStore,
        logger: silentLogger(),
      }),
      restores: new RestoreGate(service.commandState),
      retentionDays: 90,
      now: clock.now,
    });
    sweep = new RetentionSweep({
      snapshots,
      expiredSnapshots: async (now) =>
        (await directory.expired(now)).map((doc) => ({
          tenantId: doc.tenantId,
          snapshotId: doc._id,
        })),
      purges: [{ name: 'probe', purge: async (now) => (purged.push(now), 0) }],
      logger: silentLogger(),
      now: clock.now,
    });
  });

  afterEach(async function () {
    await api.dispose();
  });

  async function ready(snapshotId: string) {
    for (let tries = 0; tries < 200; tries += 1) {
      const doc = await directory.snapshot(api.acme.tenantId, snapshotId);
      if (doc?.state === 'ready') return doc;
      await pause(25);
    }
    throw new Error('the snapshot was not taken');
  }

  async function chunksOf(snapshotId: string) {
    const page = await api.service.snapshotVault
      .collection('snapshot_chunks')
      .find({ snapshotId });
    return page.items.length;
  }

  it('keeps a snapshot for 89 days and purges it after 90, recording it', async function () {
    const taken = await snapshots.take(
      { tenantId: api.acme.tenantId, requestId: 'test' },
      'admin',
    );
    await taken.done;
    await ready(taken.snapshotId);
    expect(await chunksOf(taken.snapshotId)).to.be.above(0);

    clock.advance(89 * dayMs);
    expect((await sweep.sweep()).snapshotsPurged).to.equal(0);
    expect(await chunksOf(taken.snapshotId)).to.be.above(0);

    clock.advance(2 * dayMs);
    expect((await sweep.sweep()).snapshotsPurged).to.equal(1);
    expect(await chunksOf(taken.snapshotId)).to.equal(0);

    const events = [];
    for await (const event of api.service.eventStore.readAll()) {
      if (event.streamName === `snapshot-${taken.snapshotId}`) {
        events.push(event.type);
      }
    }
    expect(events).to.deep.equal([
      'SnapshotRequested',
      'SnapshotTaken',
      'SnapshotPurged',
    ]);
  });

  it('forgets dedupe entries and sessions once their windows have passed', async function () {
    const { service } = api;
    const { sweep: serviceSweep } = retention({
      ...service,
      config: loadConfig({}),
      logger: silentLogger(),
      runner: service.projections,
    });
    const deliveries = service.commandState.collection('webhook_deliveries');
    const sessions = service.readStore.collection('sessions');
    const now = Date.now();
    const at = (ms: number) => new Date(now + ms).toISOString();
    await deliveries.insert({ _id: 'old', tenantId: 't', expiresAt: at(-1) });
    await deliveries.insert({
      _id: 'new',
      tenantId: 't',
      expiresAt: at(60_000),
    });
    await sessions.insert({ _id: 'gone', tenantId: 't', expiresAt: at(-1) });
    await sessions.insert({
      _id: 'live',
      tenantId: 't',
      expiresAt: at(60_000),
    });

    const report = await serviceSweep.sweep();

    expect(report.purged).to.deep.include({
      'webhook deliveries': 1,
      sessions: 1,
    });
    expect(await deliveries.get('new')).to.include({ _id: 'new' });
    expect(await deliveries.get('old')).to.equal(undefined);
    expect(await sessions.get('live')).to.include({ _id: 'live' });
    expect(await sessions.get('gone')).to.equal(undefined);
  });

  it('runs the other purges with the same clock', async function () {
    purged.length = 0;
    await sweep.sweep();

    expect(purged).to.deep.equal([clock.now()]);
  });
});

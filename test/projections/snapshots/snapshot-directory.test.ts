import { expect } from 'chai';

import { SnapshotDirectory } from '../../../src/projections/snapshots/snapshot-directory.js';
import { snapshotsCollection } from '../../../src/projections/snapshots/snapshot-projection.js';
import type {
  SnapshotDocument,
  SnapshotDocumentState,
} from '../../../src/projections/snapshots/snapshot-projection.js';
import { tempReadStore } from '../../support/temp-stores.js';
import type { TempReadStore } from '../../support/temp-stores.js';

describe('snapshot directory: when the last snapshot was asked for', function () {
  let temp: TempReadStore;
  let store: TempReadStore['store'];
  let directory: SnapshotDirectory;

  beforeEach(function () {
    temp = tempReadStore();
    store = temp.store;
    directory = new SnapshotDirectory(store);
  });

  afterEach(async function () {
    await temp.dispose();
  });

  function snapshot(
    id: string,
    tenantId: string,
    state: SnapshotDocumentState,
    requestedAt: string,
  ) {
    const doc: SnapshotDocument = {
      _id: id,
      tenantId,
      state,
      requestedAt,
      takenAt: null,
      expiresAt: null,
      position: null,
      sizeBytes: null,
      lastRestoredAt: null,
    };
    return store.collection<SnapshotDocument>(snapshotsCollection).insert(doc);
  }

  it('passes over one that failed, so the day is tried again', async function () {
    await snapshot('s1', 't1', 'ready', '2026-12-01T02:00:00.000Z');
    await snapshot('s2', 't1', 'failed', '2026-12-02T02:00:00.000Z');
    await snapshot('s3', 't2', 'ready', '2026-12-03T02:00:00.000Z');

    expect(await directory.lastRequestedAt('t1')).to.deep.equal(
      new Date('2026-12-01T02:00:00.000Z'),
    );
  });

  it('counts one that is still being taken, or that an admin deleted', async function () {
    await snapshot('s1', 't1', 'ready', '2026-12-01T02:00:00.000Z');
    await snapshot('s2', 't1', 'deleted', '2026-12-02T02:00:00.000Z');
    await snapshot('s3', 't2', 'taking', '2026-12-03T02:00:00.000Z');

    expect(await directory.lastRequestedAt('t1')).to.deep.equal(
      new Date('2026-12-02T02:00:00.000Z'),
    );
    expect(await directory.lastRequestedAt('t2')).to.deep.equal(
      new Date('2026-12-03T02:00:00.000Z'),
    );
    expect(await directory.lastRequestedAt('t3')).to.equal(undefined);
  });
});

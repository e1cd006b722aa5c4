import { expect } from 'chai';

import { DomainError } from '../../../src/domain/domain-error.js';
import {
  restorePosition,
  snapshotDecider,
} from '../../../src/domain/snapshot/snapshot.js';
import type { SnapshotEvent } from '../../../src/domain/snapshot/snapshot-events.js';
import { fold } from '../../../src/domain/decider.js';
import { deciderSpecification } from '../../support/decider-specification.js';

const spec = deciderSpecification(snapshotDecider);
const at = new Date('2026-12-04T10:00:00.000Z');
const day = 24 * 60 * 60 * 1000;

const requested: SnapshotEvent = {
  type: 'SnapshotRequested',
  data: {
    snapshotId: 's-1',
    tenantId: 't-1',
    trigger: 'admin',
    requestedAt: at.toISOString(),
  },
};

const taken: SnapshotEvent = {
  type: 'SnapshotTaken',
  data: {
    snapshotId: 's-1',
    position: '42',
    takenAt: at.toISOString(),
    expiresAt: new Date(+at + 90 * day).toISOString(),
    sizeBytes: 100,
    documents: 3,
  },
};

describe('snapshot decider', function () {
  it('expires a copy the retention days after it was taken', function () {
    spec
      .given([requested])
      .when({
        type: 'RecordCopy',
        position: 42n,
        sizeBytes: 100,
        documents: 3,
        retentionDays: 90,
        at,
      })
      .then([taken]);
  });

  it('purges only once it has expired, and only once', function () {
    spec
      .given([requested, taken])
      .when({ type: 'PurgeSnapshot', at: new Date(+at + 89 * day) })
      .thenThrows(DomainError, 'snapshot_not_expired');

    const purged: SnapshotEvent = {
      type: 'SnapshotPurged',
      data: {
        snapshotId: 's-1',
        expiresAt: taken.data.expiresAt,
        purgedAt: new Date(+at + 91 * day).toISOString(),
      },
    };
    spec
      .given([requested, taken])
      .when({ type: 'PurgeSnapshot', at: new Date(+at + 91 * day) })
      .then([purged]);
    spec
      .given([requested, taken, purged])
      .when({ type: 'PurgeSnapshot', at: new Date(+at + 92 * day) })
      .then([]);
  });

  it('restores from a kept copy only, never from an expired one', function () {
    const state = fold(snapshotDecider, [requested, taken]);

    expect(restorePosition(state, new Date(+at + day))).to.equal(42n);
    expect(() => restorePosition(state, new Date(+at + 90 * day)))
      .to.throw(DomainError)
      .with.property('code', 'snapshot_expired');
    expect(() => restorePosition(fold(snapshotDecider, [requested]), at))
      .to.throw(DomainError)
      .with.property('code', 'snapshot_not_ready');
  });

  it('deletes once, and cannot be restored after', function () {
    const deleted: SnapshotEvent = {
      type: 'SnapshotDeleted',
      data: { snapshotId: 's-1', deletedAt: at.toISOString() },
    };

    spec
      .given([requested, taken])
      .when({ type: 'DeleteSnapshot', at })
      .then([deleted]);
    spec
      .given([requested, taken, deleted])
      .when({ type: 'DeleteSnapshot', at })
      .then([]);
    expect(() =>
      restorePosition(fold(snapshotDecider, [requested, taken, deleted]), at),
    ).to.throw(DomainError);
  });
});

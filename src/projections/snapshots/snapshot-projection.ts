import { EventCodec } from '../../domain/event-codec.js';
import { snapshotEvents } from '../../domain/snapshot/snapshot-events.js';
import type { SnapshotEvent } from '../../domain/snapshot/snapshot-events.js';
import type { RecordedEvent } from '../../ports/event-store.js';
import type {
  ReadDocument,
  ReadStore,
  Update,
} from '../../ports/read-store.js';
import { defineProjection } from '../projection.js';
import type { Projection } from '../projection.js';

export const snapshotsCollection = 'snapshots';

export type SnapshotDocumentState =
  'taking' | 'ready' | 'failed' | 'deleted' | 'purged';

/** One snapshot as admins see it: when, where in the log, how big. */
export interface SnapshotDocument extends ReadDocument {
  tenantId: string;
  state: SnapshotDocumentState;
  requestedAt: string;
  takenAt: string | null;
  expiresAt: string | null;
  position: string | null;
  sizeBytes: number | null;
  lastRestoredAt: string | null;
}

export const snapshotProjectionName = 'snapshots';

/**
 * Keeps the list of each tenant's snapshots. It is not itself part of a
 * snapshot, so restoring one leaves the list as it is.
 */
export const snapshotProjection: Projection = defineProjection<SnapshotEvent>({
  name: snapshotProjectionName,
  codec: new EventCodec<SnapshotEvent>(snapshotEvents),
  collections: [snapshotsCollection],
  indexes: {
    [snapshotsCollection]: [
      {
        name: 'by_tenant_requested',
        fields: [
          ['tenantId', 1],
          ['requestedAt', 1],
        ],
      },
      {
        name: 'by_state_expiry',
        fields: [
          ['state', 1],
          ['expiresAt', 1],
        ],
      },
    ],
  },
  handlers: {
    SnapshotRequested: (event, recorded, store) =>
      apply(store, event.data.snapshotId, recorded, {
        $set: {
          state: 'taking',
          requestedAt: event.data.requestedAt,
          takenAt: null,
          expiresAt: null,
          position: null,
          sizeBytes: null,
          lastRestoredAt: null,
        },
      }),
    SnapshotTaken: (event, recorded, store) =>
      apply(store, event.data.snapshotId, recorded, {
        $set: {
          state: 'ready',
          takenAt: event.data.takenAt,
          expiresAt: event.data.expiresAt,
          position: event.data.position,
          sizeBytes: event.data.sizeBytes,
        },
      }),
    SnapshotFailed: (event, recorded, store) =>
      apply(store, event.data.snapshotId, recorded, {
        $set: { state: 'failed' },
      }),
    SnapshotRestored: (event, recorded, store) =>
      apply(store, event.data.snapshotId, recorded, {
        $set: { lastRestoredAt: event.data.restoredAt },
      }),
    SnapshotDeleted: (event, recorded, store) =>
      apply(store, event.data.snapshotId, recorded, {
        $set: { state: 'deleted' },
      }),
    SnapshotPurged: (event, recorded, store) =>
      apply(store, event.data.snapshotId, recorded, {
        $set: { state: 'purged' },
      }),
  },
});

async function apply(
  store: ReadStore,
  snapshotId: string,
  recorded: RecordedEvent,
  update: Update,
): Promise<void> {
  const $set = { tenantId: recorded.metadata.tenantId, ...update.$set };

  await store
    .collection(snapshotsCollection)
    .update(
      snapshotId,
      { $set },
      { upsert: true, position: recorded.position },
    );
}

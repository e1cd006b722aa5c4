import type { ReadStore } from '../../ports/read-store.js';
import { snapshotsCollection } from './snapshot-projection.js';
import type {
  SnapshotDocument,
  SnapshotDocumentState,
} from './snapshot-projection.js';

/** More than a tenant keeps: one a day for 90 days, and some. */
const listLimit = 500;

const notFailed: SnapshotDocumentState[] = [
  'taking',
  'ready',
  'deleted',
  'purged',
];

/** Finds snapshots as the read model keeps them. */
export class SnapshotDirectory {
  constructor(private readonly store: ReadStore) {}

  /** Another tenant's snapshot is as missing as one that never was. */
  async snapshot(
    tenantId: string,
    snapshotId: string,
  ): Promise<SnapshotDocument | undefined> {
    const found = await this.snapshots().get(snapshotId);

    return found?.tenantId === tenantId ? found : undefined;
  }

  /** The tenant's snapshots still kept, oldest first. */
  async kept(tenantId: string): Promise<SnapshotDocument[]> {
    const page = await this.snapshots().find(
      { tenantId, state: { $in: ['taking', 'ready', 'failed'] } },
      { sort: [['requestedAt', 1]], limit: listLimit },
    );

    return page.items;
  }

  /**
   * When the tenant's newest snapshot that did not fail was asked for, if
   * ever. One that failed (the projections could not all be held at one
   * position while they caught up, say) counts as none, so the next
   * round of housekeeping tries again, not the next day. One an admin
   * deleted still counts: the day had its snapshot.
   */
  async lastRequestedAt(tenantId: string): Promise<Date | undefined> {
    const page = await this.snapshots().find(
      { tenantId, state: { $in: notFailed } },
      { sort: [['requestedAt', -1]], limit: 1 },
    );
    const newest = page.items[0];

    return newest ? new Date(newest.requestedAt) : undefined;
  }

  /** Snapshots of every tenant past their expiry, a page at a time. */
  async expired(now: Date): Promise<SnapshotDocument[]> {
    const page = await this.snapshots().find(
      { state: 'ready', expiresAt: { $lte: now.toISOString() } },
      { limit: 1000 },
    );

    return page.items;
  }

  private snapshots() {
    return this.store.collection<SnapshotDocument>(snapshotsCollection);
  }
}

import { retention } from '../../src/service-api.js';
import { timeOnce } from '../measure.js';
import type { Timing } from '../measure.js';
import { appendChanges, caughtUp } from './bench-tenant.js';
import type { BenchService } from './bench-tenant.js';

/** A snapshot taken by the bench, and what taking it cost. */
export interface TakenSnapshot {
  snapshotId: string;
  take: Timing;
  sizeBytes: number;
}

/**
 * Takes and restores snapshots as an admin's request does, through the
 * service's SnapshotAdministration: recording the request, copying the
 * read models, recording the copy.
 */
export class SnapshotRuns {
  private readonly snapshots;

  constructor(private readonly service: BenchService) {
    const { stores, config, logger, runner } = service;
    this.snapshots = retention({ ...stores, config, logger, runner });
  }

  /** From the request until the copy is recorded. */
  async take(round: number): Promise<TakenSnapshot> {
    let snapshotId = '';
    const take = await timeOnce(async () => {
      const started = await this.snapshots.administration.take(
        this.requester(`take-${round}`),
        'admin',
      );
      snapshotId = started.snapshotId;
      await started.done;
      return 1;
    });

    const snapshot = await this.recorded(snapshotId);
    if (snapshot?.state !== 'ready') {
      throw new Error(`Snapshot ${snapshotId} is ${snapshot?.state}`);
    }

    return { snapshotId, take, sizeBytes: snapshot.sizeBytes ?? 0 };
  }

  /**
   * The live runner's time for the same events the restore will catch
   * up on: appended after the snapshot, applied before the restore.
   */
  async appendAfter(count: number): Promise<{ append: Timing; live: Timing }> {
    const append = await appendChanges(this.service, count);
    const live = await timeOnce(async () => {
      await caughtUp(this.service);
      return count;
    });

    return { append, live };
  }

  /** From the request until the read models have caught up again. */
  async restore(round: number, snapshotId: string): Promise<Timing> {
    const timing = await timeOnce(async () => {
      const started = await this.snapshots.administration.restore(
        this.requester(`restore-${round}`),
        snapshotId,
      );
      await started.done;
      return 1;
    });

    const snapshot = await this.recorded(snapshotId);
    if (!snapshot?.lastRestoredAt) {
      throw new Error(`Snapshot ${snapshotId} was not restored`);
    }

    return timing;
  }

  /** The snapshot as the read model shows it, once it has caught up. */
  private async recorded(snapshotId: string) {
    await caughtUp(this.service);

    return this.snapshots.directory.snapshot(
      this.service.tenant.tenantId,
      snapshotId,
    );
  }

  private requester(request: string) {
    return {
      tenantId: this.service.tenant.tenantId,
      requestId: `bench-${request}`,
    };
  }
}

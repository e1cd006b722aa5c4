import type { Logger } from '../../ports/logger.js';
import type { SnapshotAdministration } from '../snapshots/snapshot-administration.js';

/** A snapshot past its expiry, as the read model lists it. */
export interface ExpiredSnapshot {
  tenantId: string;
  snapshotId: string;
}

/** Other data with a lifetime: deletes what has outlived it. */
export interface Purge {
  name: string;
  /** Returns how many records went. */
  purge(now: Date): Promise<number>;
}

export interface RetentionSweepDependencies {
  snapshots: SnapshotAdministration;
  expiredSnapshots: (now: Date) => Promise<ExpiredSnapshot[]>;
  purges: readonly Purge[];
  logger: Logger;
  now?: () => Date;
}

export interface SweepReport {
  snapshotsPurged: number;
  /** By purge name: how many records went. */
  purged: Record<string, number>;
}

/**
 * Deletes for good what Hakkiri promises not to keep: snapshots 90 days
 * (or the configured fewer) after they were taken, each recorded as a
 * purge event; and the bookkeeping that would otherwise pile up, such
 * as webhook dedupe entries and expired sessions.
 */
export class RetentionSweep {
  constructor(private readonly deps: RetentionSweepDependencies) {}

  async sweep(): Promise<SweepReport> {
    const now = this.deps.now?.() ?? new Date();
    const report: SweepReport = { snapshotsPurged: 0, purged: {} };

    for (const expired of await this.deps.expiredSnapshots(now)) {
      const purged = await this.deps.snapshots.purge(
        expired.tenantId,
        expired.snapshotId,
      );
      if (purged) report.snapshotsPurged += 1;
    }
    for (const { name, purge } of this.deps.purges) {
      report.purged[name] = await purge(now);
    }

    this.deps.logger.info(report, 'retention sweep done');
    return report;
  }
}

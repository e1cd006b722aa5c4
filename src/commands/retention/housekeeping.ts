import type { Logger } from '../../ports/logger.js';
import type { SnapshotAdministration } from '../snapshots/snapshot-administration.js';
import type { RetentionSweep } from './retention-sweep.js';

export interface HousekeepingOptions {
  sweep: RetentionSweep;
  snapshots: SnapshotAdministration;
  /** Every tenant that is not deleted. */
  tenants: () => Promise<string[]>;
  /** When the tenant's newest snapshot was asked for, if ever. */
  lastSnapshotAt: (tenantId: string) => Promise<Date | undefined>;
  logger: Logger;
  /** How often it looks; an hour unless told. */
  intervalMs?: number;
  now?: () => Date;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * The service's own timetable: every hour the retention sweep runs, and
 * each tenant whose newest snapshot is a day old or more gets a new one.
 * It reads what was done from the stores, so a restart neither skips a
 * day nor takes a second snapshot of it.
 */
export class Housekeeping {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: HousekeepingOptions) {}

  start(): void {
    if (this.timer) return;
    const intervalMs = this.options.intervalMs ?? 60 * 60 * 1000;

    this.timer = setInterval(() => this.schedule(), intervalMs);
    this.timer.unref();
    this.schedule();
  }

  /** Waits for the round in flight, then runs no more. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One round: the sweep, then the day's snapshots. */
  async round(): Promise<void> {
    await this.options.sweep.sweep();
    await this.dailySnapshots();
  }

  private schedule(): void {
    this.running = this.running.then(async () => {
      if (this.stopped) return;
      try {
        await this.round();
      } catch (error) {
        this.options.logger.error({ err: error }, 'housekeeping failed');
      }
    });
  }

  private async dailySnapshots(): Promise<void> {
    const now = this.options.now?.() ?? new Date();

    for (const tenantId of await this.options.tenants()) {
      if (this.stopped) return;
      const last = await this.options.lastSnapshotAt(tenantId);
      if (last !== undefined && +now - +last < dayMs) continue;

      const started = await this.options.snapshots.take(
        { tenantId, requestId: `daily-${now.toISOString().slice(0, 10)}` },
        'schedule',
      );
      await started.done;
    }
  }
}

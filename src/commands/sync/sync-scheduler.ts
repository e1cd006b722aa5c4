import type { Logger } from '../../ports/logger.js';
import type { JiraSync, SyncStart } from './jira-sync.js';
import type { SyncTrigger } from './sync-ledger.js';

/** A connection the scheduler should keep in sync. */
export interface SyncTarget {
  tenantId: string;
  connectionId: string;
}

export interface SyncSchedulerOptions {
  sync: JiraSync;
  /** Every active connection of every tenant. */
  activeConnections: () => AsyncIterable<SyncTarget>;
  logger: Logger;
  /** 0 runs syncs only when an admin asks. */
  intervalMs: number;
}

/**
 * Starts syncs, from admins and on a timer, and keeps track of the runs
 * in flight so that stopping the service lets them end between pages.
 * Each instance runs its own timer; the lease keeps one run per
 * connection.
 */
export class SyncScheduler {
  private readonly running = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(private readonly options: SyncSchedulerOptions) {}

  /** Starts the timer, when there is an interval. */
  startTimer(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;

    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  async start(
    tenantId: string,
    connectionId: string,
    trigger: SyncTrigger,
  ): Promise<SyncStart> {
    const started = await this.options.sync.start(
      tenantId,
      connectionId,
      trigger,
      this.abort.signal,
    );
    if (started.kind === 'started') this.track(started.done, connectionId);

    return started;
  }

  /** Ends the timer, and waits for the runs in flight to stop. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.abort.abort();

    await Promise.allSettled([...this.running]);
  }

  /** One pass over every active connection; a pass never overlaps. */
  async tick(): Promise<void> {
    if (this.ticking || this.abort.signal.aborted) return;
    this.ticking = true;

    try {
      for await (const target of this.options.activeConnections()) {
        if (this.abort.signal.aborted) return;
        await this.startScheduled(target);
      }
    } finally {
      this.ticking = false;
    }
  }

  private async startScheduled(target: SyncTarget): Promise<void> {
    try {
      const started = await this.start(
        target.tenantId,
        target.connectionId,
        'schedule',
      );
      if (started.kind === 'started') await started.done;
    } catch (error) {
      this.options.logger.error(
        { err: error, connectionId: target.connectionId },
        'scheduled sync could not start',
      );
    }
  }

  private track(done: Promise<unknown>, connectionId: string): void {
    const tracked = done.then(
      () => undefined,
      (error: unknown) => {
        this.options.logger.error(
          { err: error, connectionId },
          'sync ended with an error',
        );
      },
    );
    this.running.add(tracked);
    void tracked.finally(() => this.running.delete(tracked));
  }
}

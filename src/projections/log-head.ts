import type { EventStore } from '../ports/event-store.js';
import type { Logger } from '../ports/logger.js';

/**
 * The head of the global log, asked of the store now and then rather than
 * on every status call, which may come from a busy health endpoint.
 */
export class LogHead {
  private head: bigint | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly eventStore: EventStore,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  get position(): bigint | undefined {
    return this.head;
  }

  async start(): Promise<void> {
    await this.refresh();

    this.timer ??= setInterval(() => void this.refresh(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** How far a checkpoint is behind the head, in the store's positions. */
  lagBehind(checkpoint: bigint | undefined): number | null {
    if (this.head === undefined) return null;

    const lag = this.head - (checkpoint ?? 0n);
    return lag > 0n ? Number(lag) : 0;
  }

  async refresh(): Promise<void> {
    try {
      this.head = await this.eventStore.headPosition();
    } catch (error) {
      // Status can do without a fresh head; the projections carry on.
      this.logger.warn({ err: error }, 'could not read the head of the log');
    }
  }
}

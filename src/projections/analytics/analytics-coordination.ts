/**
 * What the live analytics projection and the recomputations of the same
 * process share. Their batches take turns, so a recomputation sees the
 * live projection either before or after a batch, never during one; and
 * it learns how far the live projection has got, to know when it has
 * caught up with it.
 */
export class AnalyticsCoordination {
  private tail: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private live: bigint | undefined;

  /** Resolves with the release once every earlier holder has released. */
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => held);
    await previous;

    return release;
  }

  async exclusive<Result>(work: () => Promise<Result>): Promise<Result> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** The position of the last event the live projection has written. */
  get livePosition(): bigint | undefined {
    return this.live;
  }

  liveReached(position: bigint): void {
    if (this.live === undefined || position > this.live) this.live = position;
  }

  /** Called when a recomputation is asked for, so it starts at once. */
  workArrived(): void {
    this.wake?.();
  }

  /** Resolves on the next `workArrived`, or after the given time. */
  nextWork(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.wake = done;
    });
  }
}

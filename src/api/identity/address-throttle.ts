/**
 * Counts failed logins per client address, in this process. An address
 * that fails too often within the window is turned away before any
 * password is checked, whichever accounts it tries.
 *
 * Each API instance counts on its own, so behind N instances an address
 * gets up to N times the limit; the per-account lockout, kept in the
 * event store, is the limit that holds across instances.
 */
export class AddressThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 30,
    private readonly windowMs = 15 * 60_000,
    /** Addresses remembered at most, so a spray cannot exhaust memory. */
    private readonly maxAddresses = 100_000,
  ) {}

  /** Seconds until the address may try again, or 0 when it may now. */
  retryAfterSeconds(address: string, now: Date): number {
    const recent = this.recent(address, now);
    if (recent.length < this.maxFailures) return 0;

    const oldest = recent[recent.length - this.maxFailures]!;
    return Math.ceil((oldest + this.windowMs - now.getTime()) / 1000);
  }

  recordFailure(address: string, now: Date): void {
    const recent = this.recent(address, now);
    recent.push(now.getTime());

    this.failures.delete(address);
    this.failures.set(address, recent);
    this.forgetOldest();
  }

  private recent(address: string, now: Date): number[] {
    const start = now.getTime() - this.windowMs;

    return (this.failures.get(address) ?? []).filter((at) => at > start);
  }

  /** A Map iterates in insertion order, and a failure re-inserts. */
  private forgetOldest(): void {
    for (const address of this.failures.keys()) {
      if (this.failures.size <= this.maxAddresses) return;
      this.failures.delete(address);
    }
  }
}

import type { ReadDocument, ReadStore } from '../../ports/read-store.js';

export const restoresCollection = 'tenant_restores';

interface RestoreDocument extends ReadDocument {
  tenantId: string;
  snapshotId: string;
  /** A restore cut short by a crash stops holding the tenant then. */
  until: string;
}

/**
 * Which tenants are being restored, for every instance to see: their
 * queries answer 503 meanwhile, rather than half-restored numbers.
 */
export class RestoreGate {
  constructor(
    private readonly store: ReadStore,
    private readonly now: () => Date = () => new Date(),
    private readonly holdMs = 10 * 60_000,
  ) {}

  async close(tenantId: string, snapshotId: string): Promise<void> {
    const until = new Date(+this.now() + this.holdMs).toISOString();

    await this.restores().update(
      tenantId,
      { $set: { tenantId, snapshotId, until } },
      { upsert: true },
    );
  }

  async open(tenantId: string): Promise<void> {
    await this.restores().deleteMany({ _id: tenantId });
  }

  /** Seconds to wait before asking again; 0 when the tenant is open. */
  async retryAfterSeconds(tenantId: string): Promise<number> {
    const restore = await this.restores().get(tenantId);
    if (!restore || Date.parse(restore.until) <= +this.now()) return 0;

    return 5;
  }

  private restores() {
    return this.store.collection<RestoreDocument>(restoresCollection);
  }
}

/** What copying a tenant's read models gave. */
export interface SnapshotCopy {
  /** Every effect up to this log position is in the copy, none after. */
  position: bigint;
  sizeBytes: number;
  documents: number;
}

/**
 * Point-in-time copies of one tenant's read models, kept sealed inside
 * the service. There is no way to read a copy out: only to restore the
 * tenant's read models from it, or to erase it.
 */
export interface SnapshotCopies {
  copy(
    tenantId: string,
    snapshotId: string,
    expiresAt: Date,
  ): Promise<SnapshotCopy>;

  /**
   * Replaces the tenant's read models with the copy, then applies the
   * tenant's events after the copy's position. Resolves with where the
   * read models then stand.
   */
  restore(
    tenantId: string,
    snapshotId: string,
    position: bigint,
  ): Promise<bigint | undefined>;

  /** Deletes the copy so that no byte of it can be read back. */
  erase(snapshotId: string): Promise<void>;
}

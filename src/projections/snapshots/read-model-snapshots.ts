import type { EventStore, RecordedEvent } from '../../ports/event-store.js';
import type { Logger } from '../../ports/logger.js';
import { pagesOf } from '../../ports/read-pages.js';
import type { IndexSpec, ReadStore } from '../../ports/read-store.js';
import type { ValueSealer } from '../../ports/value-sealer.js';
import type {
  SnapshotCopies,
  SnapshotCopy,
} from '../../ports/snapshot-copies.js';
import type { Projection } from '../projection.js';
import { replayThrough } from '../replay.js';
import type { ProjectionHold } from '../projection-runner.js';
import { DocumentRestore } from './document-restore.js';
import { untilDone } from './until-done.js';
import { SnapshotVault } from './snapshot-vault.js';
import type { CopiedDocument } from './snapshot-vault.js';

export interface ReadModelSnapshotsOptions {
  runner: ProjectionHold;
  /** Whose collections a snapshot holds; the snapshots' own are not. */
  projections: readonly Projection[];
  /** The read store below encryption: sealed fields stay sealed. */
  storedReadModels: ReadStore;
  /** The read store the projections write through, sealing. */
  readModels: ReadStore;
  /** Where copies are kept: a store that does not seal by itself. */
  vault: ReadStore;
  /** Seals each chunk of a copy whole, with the tenant's data key. */
  cipher: ValueSealer;
  eventStore: EventStore;
  logger: Logger;
  /**
   * Holds off the writers of tenant read models that run beside the
   * runner (the analytics recomputations) while documents are copied or
   * replaced. None when absent.
   */
  holdWriters?: <Result>(work: () => Promise<Result>) => Promise<Result>;
}

const pageSize = 1000;

/**
 * A tenant's documents are read in pages in `_id` order. Without an index
 * that holds both, a store may find the tenant's rows by another index
 * and sort them all again for every page.
 */
const tenantPages: IndexSpec = {
  name: 'snapshot_pages',
  fields: [
    ['tenantId', 1],
    ['_id', 1],
  ],
};

/**
 * Snapshots of one tenant's read models. A copy is taken while every
 * projection stands at one position of the log, so it holds every
 * effect up to that position and none after, however busy the log. A
 * restore replaces the tenant's documents with the copy's, then applies
 * the tenant's events after the copy's position.
 */
export class ReadModelSnapshots implements SnapshotCopies {
  private readonly vault: SnapshotVault;
  private readonly collections: string[];

  constructor(private readonly options: ReadModelSnapshotsOptions) {
    this.vault = new SnapshotVault(options.vault, options.cipher);
    this.collections = options.projections.flatMap((p) => [...p.collections]);
  }

  copy(
    tenantId: string,
    snapshotId: string,
    expiresAt: Date,
  ): Promise<SnapshotCopy> {
    return this.options.runner.atOnePosition(async (position) => {
      const written = await this.held(() =>
        this.vault.write(
          tenantId,
          snapshotId,
          expiresAt,
          this.documentsOf(tenantId),
        ),
      );

      return { position: position ?? 0n, ...written };
    });
  }

  restore(
    tenantId: string,
    snapshotId: string,
    position: bigint,
  ): Promise<bigint | undefined> {
    return this.options.runner.atOnePosition(async (head) => {
      await this.held(() => this.replaceDocuments(tenantId, snapshotId));
      await this.catchUp(tenantId, position, head);

      return head;
    });
  }

  /**
   * Taken only inside the runner's hold, never around it: the runner
   * waits for its projections' batches, and a live analytics batch waits
   * for the writers' hold to be given back.
   */
  private held<Result>(work: () => Promise<Result>): Promise<Result> {
    const { holdWriters } = this.options;

    return holdWriters ? holdWriters(work) : work();
  }

  /** Erases the copy, and the freed pages that held it. */
  async erase(snapshotId: string): Promise<void> {
    await this.vault.erase(snapshotId);
    await this.options.vault.purgeDeleted();
  }

  /** Once, before the first copy; a copy after a failure tries again. */
  private readonly ensurePageIndexes = untilDone(async () => {
    const stored = this.options.storedReadModels;
    for (const collection of this.collections) {
      await stored.collection(collection).ensureIndexes([tenantPages]);
    }
  });

  private async *documentsOf(tenantId: string): AsyncIterable<CopiedDocument> {
    const stored = this.options.storedReadModels;
    await this.ensurePageIndexes();

    for (const collection of this.collections) {
      const documents = stored.collection(collection);
      for await (const page of pagesOf(documents, { tenantId }, pageSize)) {
        for (const document of page) yield { collection, document };
      }
    }
  }

  /**
   * One batch: where the store commits together, a restore that fails
   * half-way leaves the read models as they were.
   */
  private async replaceDocuments(
    tenantId: string,
    snapshotId: string,
  ): Promise<void> {
    await this.options.storedReadModels.inBatch(async (batch) => {
      const restore = new DocumentRestore(batch, tenantId);
      for await (const chunk of this.vault.chunksOf(snapshotId)) {
        for (const entry of chunk) await restore.putBack(entry);
      }

      await restore.finish(this.collections);
    });
  }

  /** The tenant's events after the copy, through every projection. */
  private async catchUp(
    tenantId: string,
    after: bigint,
    head: bigint | undefined,
  ): Promise<void> {
    if (head === undefined || head <= after) return;
    const { eventStore, projections, readModels } = this.options;

    // One batch, as the runner writes: one commit, not one per write.
    const events = eventStore.readAll(after > 0n ? { after } : {});
    await readModels.inBatch((batch) =>
      replayThrough(projections, tenantEvents(events, tenantId, head), batch),
    );
  }
}

async function* tenantEvents(
  events: AsyncIterable<RecordedEvent>,
  tenantId: string,
  head: bigint,
): AsyncIterable<RecordedEvent> {
  for await (const event of events) {
    if (event.position > head) return;
    if (event.metadata.tenantId === tenantId) yield event;
  }
}

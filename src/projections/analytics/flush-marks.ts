import type { ReadDocument, ReadStore } from '../../ports/read-store.js';
import { flushMarksCollection } from './analytics-documents.js';

interface FlushMarkDocument extends ReadDocument {
  /** Whose recomputation, of which generation; absent for the live one. */
  tenantId?: string;
  generation?: number;
  /** The position of the last event the flush covers. */
  to: string;
}

/** The recomputation a mark belongs to, so it goes with its generation. */
export interface MarkOwner {
  tenantId: string;
  generation: number;
}

/**
 * Where the last flush of a writer ended. Documents written by one flush
 * carry the last position of the events that changed them, and a write
 * at or below a document's position is skipped. That keeps a replay
 * harmless only if the replayed events are cut into the same flushes: so
 * each flush first writes where it ends, and a replay that starts at or
 * before that point flushes there too, however its batch is cut. On
 * SQLite a batch is one transaction and never lands in part; without
 * transactions (MongoDB) this is what makes the replay exact.
 */
export class FlushMarks {
  constructor(
    private readonly store: ReadStore,
    private readonly id: string,
    private readonly owner?: MarkOwner,
  ) {}

  async load(): Promise<bigint | undefined> {
    const doc = await this.store
      .collection<FlushMarkDocument>(flushMarksCollection)
      .get(this.id);

    return doc ? BigInt(doc.to) : undefined;
  }

  async mark(to: bigint): Promise<void> {
    await this.store.collection<FlushMarkDocument>(flushMarksCollection).update(
      this.id,
      {
        $set: { to: to.toString(), ...this.owner },
      },
      { upsert: true },
    );
  }
}

export const liveFlushMark = 'live';

export const recomputationFlushMark = ({ tenantId, generation }: MarkOwner) =>
  `recomputation|${tenantId}|${generation}`;

import type {
  IndexSpec,
  ReadCollection,
  ReadDocument,
  ReadStore,
} from '../../ports/read-store.js';

export const snapshotChunksCollection = 'snapshot_chunks';

/** One stored document of a copy, and where it came from. */
export interface CopiedDocument {
  collection: string;
  document: ReadDocument;
}

/** A slice of a copy, sealed whole with the tenant's key. */
interface ChunkDocument extends ReadDocument {
  tenantId: string;
  snapshotId: string;
  index: number;
  expiresAt: string;
  /** JSON of the copied documents; sealed at rest. */
  data: string;
}

export const snapshotVaultEncryptedFields: Readonly<
  Record<string, readonly string[]>
> = { [snapshotChunksCollection]: ['data'] };

/** About a megabyte of JSON a chunk: few to seal, each small to hold. */
const chunkBytes = 1024 * 1024;

/**
 * Chunks go by their snapshot. Where the store can, it also deletes
 * them once expired, should the sweep that must delete them fall behind.
 */
const chunkIndexes: IndexSpec[] = [
  { name: 'by_snapshot', fields: [['snapshotId', 1]] },
  { name: 'by_expiry', fields: [['expiresAt', 1]], expireAfterSeconds: 0 },
];

/**
 * Keeps the copies of snapshots, in chunks sealed with the tenant's data
 * key, so crypto-shredding a tenant makes its copies unreadable too.
 * The documents inside were already sealed field by field; they are
 * copied as stored and stay so.
 */
export class SnapshotVault {
  private indexed: Promise<void> | undefined;

  constructor(private readonly store: ReadStore) {}

  /**
   * Makes the chunks' indexes, once for this vault; writing calls it
   * first, so every chunk it writes is under the expiring index. Safe
   * to call again, and at start.
   */
  ensureIndexes(): Promise<void> {
    this.indexed ??= this.chunks()
      .ensureIndexes(chunkIndexes)
      .catch((error: unknown) => {
        this.indexed = undefined;
        throw error;
      });

    return this.indexed;
  }

  async write(
    tenantId: string,
    snapshotId: string,
    expiresAt: Date,
    documents: AsyncIterable<CopiedDocument>,
  ): Promise<{ sizeBytes: number; documents: number }> {
    await this.ensureIndexes();

    // One commit for the whole copy, where the store commits together.
    return this.store.inBatch((batch) =>
      writeChunks(
        batch.collection<ChunkDocument>(snapshotChunksCollection),
        { tenantId, snapshotId, expiresAt: expiresAt.toISOString() },
        documents,
      ),
    );
  }

  /** The copied documents a chunk at a time, in the order they were copied. */
  async *chunksOf(snapshotId: string): AsyncIterable<CopiedDocument[]> {
    for (let index = 0; ; index += 1) {
      const chunk = await this.chunks().get(`${snapshotId}:${index}`);
      if (!chunk) return;

      const entries = JSON.parse(chunk.data) as [string, ReadDocument][];
      yield entries.map(([collection, document]) => ({ collection, document }));
    }
  }

  /** Deletes every chunk of the copy; returns how many there were. */
  erase(snapshotId: string): Promise<number> {
    return this.chunks().deleteMany({ snapshotId });
  }

  private chunks() {
    return this.store.collection<ChunkDocument>(snapshotChunksCollection);
  }
}

/** What every chunk of one copy says about it. */
type ChunkLabel = Pick<ChunkDocument, 'tenantId' | 'snapshotId' | 'expiresAt'>;

async function writeChunks(
  chunks: ReadCollection<ChunkDocument>,
  label: ChunkLabel,
  documents: AsyncIterable<CopiedDocument>,
): Promise<{ sizeBytes: number; documents: number }> {
  let buffered: string[] = [];
  let bufferedBytes = 0;
  let index = 0;
  let sizeBytes = 0;
  let count = 0;

  const flush = async () => {
    if (buffered.length === 0) return;
    const data = `[${buffered.join(',')}]`;
    await chunks.insert({
      _id: `${label.snapshotId}:${index}`,
      ...label,
      index,
      data,
    });
    index += 1;
    sizeBytes += data.length;
    buffered = [];
    bufferedBytes = 0;
  };

  for await (const copied of documents) {
    const json = JSON.stringify([copied.collection, copied.document]);
    buffered.push(json);
    bufferedBytes += json.length;
    count += 1;
    if (bufferedBytes >= chunkBytes) await flush();
  }
  await flush();

  return { sizeBytes, documents: count };
}

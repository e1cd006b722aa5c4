import { promisify } from 'node:util';
import zlib from 'node:zlib';

import type {
  IndexSpec,
  ReadDocument,
  ReadStore,
} from '../../ports/read-store.js';
import type { FieldAddress, ValueSealer } from '../../ports/value-sealer.js';
import { untilDone } from './until-done.js';

export const snapshotChunksCollection = 'snapshot_chunks';

/** One stored document of a copy, and where it came from. */
export interface CopiedDocument {
  collection: string;
  document: ReadDocument;
}

/** Which copy a chunk belongs to, and where in it. */
interface ChunkLabel {
  _id: string;
  tenantId: string;
  snapshotId: string;
  index: number;
  expiresAt: string;
}

/** A slice of a copy, sealed whole with the tenant's key. */
interface ChunkDocument extends ReadDocument, ChunkLabel {
  /**
   * How the sealed bytes hold the copied documents' JSON. Chunks written
   * before compression have none: theirs is the JSON text, sealed as a
   * value.
   */
  encoding?: 'brotli';
  /** The copied documents, sealed. */
  data: string;
}

/** About a megabyte of JSON a chunk: few to seal, each small to hold. */
const chunkBytes = 1024 * 1024;

/**
 * Brotli's fastest level keeps about 60% of a chunk, as much as its
 * slower levels do here: what the chunk holds is mostly sealed fields,
 * base64 that no level shrinks much further. It runs on libuv's threads,
 * beside the main thread's reads and writes.
 */
const compression: zlib.BrotliOptions = {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 },
};
const compress = promisify(zlib.brotliCompress);
const decompress = promisify(zlib.brotliDecompress);

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
 * copied as stored and stay so. A chunk's JSON is compressed before it
 * is sealed; since every field of customer content inside is already
 * ciphertext, its compressed length says nothing of that content.
 */
export class SnapshotVault {
  /**
   * Makes the chunks' indexes, once for this vault; writing calls it
   * first, so every chunk it writes is under the expiring index. Safe
   * to call again, and at start.
   */
  readonly ensureIndexes = untilDone(() =>
    this.chunks().ensureIndexes(chunkIndexes),
  );

  /** The store is not an encrypting one: the vault seals chunks itself. */
  constructor(
    private readonly store: ReadStore,
    private readonly cipher: ValueSealer,
  ) {}

  /**
   * Writes the copy in one batch, so it commits once where the store
   * commits together. Each chunk is compressed while the documents of the
   * next are read.
   */
  async write(
    tenantId: string,
    snapshotId: string,
    expiresAt: Date,
    documents: AsyncIterable<CopiedDocument>,
  ): Promise<{ sizeBytes: number; documents: number }> {
    await this.ensureIndexes();
    const label = { tenantId, snapshotId, expiresAt: expiresAt.toISOString() };
    const copy = { sizeBytes: 0, documents: 0 };

    await this.store.inBatch(async (batch) => {
      const chunks = batch.collection<ChunkDocument>(snapshotChunksCollection);
      const stored = new OneInFlight();
      let index = 0;

      await stored.finishing(async () => {
        for await (const text of chunkTexts(documents)) {
          copy.sizeBytes += text.json.length;
          copy.documents += text.documents;
          const chunk = { ...label, index, _id: chunkId(snapshotId, index) };
          await stored.next(async () =>
            chunks.insert(await this.sealed(chunk, text.json)),
          );
          index += 1;
        }
      });
    });

    return copy;
  }

  /**
   * The copied documents a chunk at a time, in the order they were
   * copied. The next chunk is opened while the caller works on this one.
   */
  async *chunksOf(snapshotId: string): AsyncIterable<CopiedDocument[]> {
    let next = this.opening(snapshotId, 0);

    for (let index = 1; ; index += 1) {
      const json = await next;
      if (json === undefined) return;

      next = this.opening(snapshotId, index);
      const entries = JSON.parse(json) as [string, ReadDocument][];
      yield entries.map(([collection, document]) => ({ collection, document }));
    }
  }

  /** Deletes every chunk of the copy; returns how many there were. */
  erase(snapshotId: string): Promise<number> {
    return this.chunks().deleteMany({ snapshotId });
  }

  private async sealed(
    chunk: ChunkLabel,
    json: string,
  ): Promise<ChunkDocument> {
    const compressed = await compress(json, compression);
    const data = await this.cipher.encryptBytes(addressOf(chunk), compressed);

    return { ...chunk, encoding: 'brotli', data };
  }

  /**
   * Starts opening a chunk ahead of need. Its failure is kept for the
   * await that takes it, not reported as unhandled before then, or at
   * all when the caller stops early.
   */
  private opening(snapshotId: string, index: number) {
    const opened = this.opened(snapshotId, index);
    opened.catch(() => undefined);

    return opened;
  }

  /** A chunk's JSON, or undefined past the last chunk. */
  private async opened(
    snapshotId: string,
    index: number,
  ): Promise<string | undefined> {
    const chunk = await this.chunks().get(chunkId(snapshotId, index));
    if (!chunk) return undefined;

    const address = addressOf(chunk);
    if (chunk.encoding === undefined) {
      return (await this.cipher.decrypt(address, chunk.data)) as string;
    }

    const compressed = await this.cipher.decryptBytes(address, chunk.data);
    return (await decompress(compressed)).toString('utf8');
  }

  private chunks() {
    return this.store.collection<ChunkDocument>(snapshotChunksCollection);
  }
}

function chunkId(snapshotId: string, index: number): string {
  return `${snapshotId}:${index}`;
}

/** Where a chunk's data is sealed; as an encrypting read store had it. */
function addressOf(chunk: ChunkLabel): FieldAddress {
  return {
    tenantId: chunk.tenantId,
    record: `${snapshotChunksCollection}/${chunk._id}`,
    field: 'data',
  };
}

/** The copied documents as JSON arrays of about `chunkBytes` each. */
async function* chunkTexts(
  documents: AsyncIterable<CopiedDocument>,
): AsyncIterable<{ json: string; documents: number }> {
  let buffered: string[] = [];
  let bufferedBytes = 0;

  for await (const copied of documents) {
    const json = JSON.stringify([copied.collection, copied.document]);
    buffered.push(json);
    bufferedBytes += json.length;
    if (bufferedBytes < chunkBytes) continue;

    yield chunkText(buffered);
    buffered = [];
    bufferedBytes = 0;
  }
  if (buffered.length > 0) yield chunkText(buffered);
}

function chunkText(documents: string[]) {
  return { json: `[${documents.join(',')}]`, documents: documents.length };
}

/**
 * Work done one piece at a time, each piece running while its caller
 * prepares the next. Nothing is left running when `finishing` returns,
 * even when the caller failed: a write of a batch must not land after
 * the batch has ended.
 */
class OneInFlight {
  private running: Promise<unknown> = Promise.resolve();

  /** Waits for the piece before, then starts this one. */
  async next(piece: () => Promise<unknown>): Promise<void> {
    await this.running;
    this.running = piece();
    this.running.catch(() => undefined);
  }

  async finishing(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      await this.running.catch(() => undefined);
      throw error;
    }
    await this.running;
  }
}

import type {
  ReadCollection,
  ReadDocument,
  ReadStore,
} from '../../ports/read-store.js';
import { StoreUnavailableError } from '../../ports/errors.js';
import { InvalidFieldError } from './document-query.js';
import { SqliteBatches } from './sqlite-batches.js';
import type { Writer } from './sqlite-batches.js';
import { collectionPattern, SqliteCollection } from './sqlite-collection.js';
import { openSqliteDatabase } from './sqlite-database.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { WrittenRows } from './written-rows.js';

/** The collections of one connection, all writing through one writer. */
class SqliteCollections {
  private readonly collections = new Map<string, SqliteCollection<never>>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly writer: Writer,
    private readonly written: WrittenRows,
  ) {}

  get<Doc extends ReadDocument>(name: string): ReadCollection<Doc> {
    let collection = this.collections.get(name);
    if (!collection) {
      if (!collectionPattern.test(name)) throw new InvalidFieldError(name);
      collection = new SqliteCollection<never>(
        this.db,
        this.writer,
        this.written,
        name,
      );
      this.collections.set(name, collection);
    }

    return collection as unknown as ReadCollection<Doc>;
  }
}

/**
 * The embedded read store: one table per collection in its own SQLite file
 * in the data folder. It is a separate file from the events because read
 * models are disposable (a rebuild may drop the file) and because SQLite
 * has one writer per file: projections then never queue behind appends.
 */
export class SqliteReadStore implements ReadStore {
  private readonly db: SqliteDatabase;
  private readonly batches: SqliteBatches;
  private readonly collections: SqliteCollections;
  private readonly batchStore: SqliteBatchStore;

  constructor(file: string) {
    // Read models can be rebuilt from the log, and a power loss takes the
    // last commits in order, checkpoints with the documents they cover:
    // the projection then replays from an earlier checkpoint. So commits
    // need not wait for the disk.
    this.db = openSqliteDatabase(file, { synchronous: 'NORMAL' });
    const written = new WrittenRows(this.db);
    this.batches = new SqliteBatches(this.db, written);
    this.collections = new SqliteCollections(
      this.db,
      this.batches.outside,
      written,
    );
    this.batchStore = new SqliteBatchStore(
      this,
      new SqliteCollections(this.db, this.batches.inside, written),
    );
  }

  collection<Doc extends ReadDocument>(name: string): ReadCollection<Doc> {
    return this.collections.get<Doc>(name);
  }

  inBatch<Result>(
    work: (batch: ReadStore) => Promise<Result>,
  ): Promise<Result> {
    return this.batches.batch(() => work(this.batchStore));
  }

  async ping(): Promise<boolean> {
    try {
      this.db.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  async purgeDeleted(): Promise<void> {
    const [result] = await this.batches.whenIdle(
      () => this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[],
    );
    if (result?.busy !== 0) {
      throw new StoreUnavailableError(
        'Another connection held the read store log: what was deleted ' +
          'may still be in its -wal file until it is checkpointed',
      );
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/**
 * The store as seen by the work of a batch: its writes join the batch's
 * transaction. The connection stays the outer store's to close.
 */
class SqliteBatchStore implements ReadStore {
  constructor(
    private readonly outer: SqliteReadStore,
    private readonly collections: SqliteCollections,
  ) {}

  collection<Doc extends ReadDocument>(name: string): ReadCollection<Doc> {
    return this.collections.get<Doc>(name);
  }

  inBatch<Result>(
    work: (batch: ReadStore) => Promise<Result>,
  ): Promise<Result> {
    return work(this);
  }

  ping(): Promise<boolean> {
    return this.outer.ping();
  }

  /** The batch's own deletions are not even committed yet. */
  async purgeDeleted(): Promise<void> {}

  async close(): Promise<void> {}
}

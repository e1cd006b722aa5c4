import type { SqliteDatabase } from './sqlite-database.js';

/** A document row as stored, read with safe integers. */
export interface StoredRow {
  id: string;
  doc: string;
  version: bigint;
  position: bigint | null;
}

/** A collection's rows kept, oldest written first, and their size. */
interface KeptRows {
  rows: Map<string, StoredRow>;
  bytes: number;
}

/**
 * The rows this connection wrote last, per collection, so that the next
 * read-modify-write of one of them need not read it back: a projection
 * updates the same documents over and over. They stay true only while no
 * other connection writes, which SQLite's data_version tells; it is
 * checked as each write transaction starts, when no other writer can
 * slip in before it ends. A rolled-back transaction forgets them all.
 *
 * Each collection keeps rows up to a budget of document text, not a
 * count: fifty thousand rows of small documents help a projection that
 * touches them in turn, but as many sealed documents of kilobytes each
 * are hundreds of megabytes for the collector to carry, and cost a
 * catch-up more than reading them back would.
 */
export class WrittenRows {
  private readonly collections = new Map<string, KeptRows>();
  private dataVersion: unknown;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly limitBytes = 8 * 1024 * 1024,
  ) {}

  /** Call at the start of each write transaction. */
  check(): void {
    const version = this.db.pragma('data_version', { simple: true });
    if (version !== this.dataVersion) this.clear();
    this.dataVersion = version;
  }

  get(collection: string, id: string): StoredRow | undefined {
    return this.collections.get(collection)?.rows.get(id);
  }

  /**
   * Keeps a row just written; past the budget, rows give way in the order
   * they were first kept. A row written again keeps its place: moving it
   * would leave a hole at the front of the map each time, which every
   * look for the oldest then walks past.
   */
  keep(collection: string, row: StoredRow): void {
    let kept = this.collections.get(collection);
    if (!kept) {
      kept = { rows: new Map(), bytes: 0 };
      this.collections.set(collection, kept);
    }

    const previous = kept.rows.get(row.id);
    kept.bytes += row.doc.length - (previous?.doc.length ?? 0);
    kept.rows.set(row.id, row);
    if (kept.bytes > this.limitBytes) this.makeRoom(kept, row.id);
  }

  private makeRoom(kept: KeptRows, keeping: string): void {
    for (const id of kept.rows.keys()) {
      if (kept.bytes <= this.limitBytes) return;
      if (id !== keeping) drop(kept, id);
    }
  }

  forget(collection: string, id?: string): void {
    if (id === undefined) this.collections.delete(collection);
    else {
      const kept = this.collections.get(collection);
      if (kept) drop(kept, id);
    }
  }

  clear(): void {
    this.collections.clear();
  }
}

function drop(kept: KeptRows, id: string): void {
  const row = kept.rows.get(id);
  if (!row) return;

  kept.rows.delete(id);
  kept.bytes -= row.doc.length;
}

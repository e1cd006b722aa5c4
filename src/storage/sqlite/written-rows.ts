import type { SqliteDatabase } from './sqlite-database.js';

/** A document row as stored, read with safe integers. */
export interface StoredRow {
  id: string;
  doc: string;
  version: bigint;
  position: bigint | null;
}

/**
 * The rows this connection wrote last, per collection, so that the next
 * read-modify-write of one of them need not read it back: a projection
 * updates the same documents over and over. They stay true only while no
 * other connection writes, which SQLite's data_version tells; it is
 * checked as each write transaction starts, when no other writer can
 * slip in before it ends. A rolled-back transaction forgets them all.
 */
export class WrittenRows {
  private readonly collections = new Map<string, Map<string, StoredRow>>();
  private dataVersion: unknown;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly limit = 50_000,
  ) {}

  /** Call at the start of each write transaction. */
  check(): void {
    const version = this.db.pragma('data_version', { simple: true });
    if (version !== this.dataVersion) this.clear();
    this.dataVersion = version;
  }

  get(collection: string, id: string): StoredRow | undefined {
    return this.collections.get(collection)?.get(id);
  }

  /** Keeps a row just written; the oldest gives way past the limit. */
  keep(collection: string, row: StoredRow): void {
    let rows = this.collections.get(collection);
    if (!rows) {
      rows = new Map();
      this.collections.set(collection, rows);
    }

    if (rows.size >= this.limit && !rows.has(row.id)) {
      rows.delete(rows.keys().next().value!);
    }
    rows.set(row.id, row);
  }

  forget(collection: string, id?: string): void {
    if (id === undefined) this.collections.delete(collection);
    else this.collections.get(collection)?.delete(id);
  }

  clear(): void {
    this.collections.clear();
  }
}

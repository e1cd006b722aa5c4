import type { Statement } from 'better-sqlite3';

import { openSqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';
import type { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';
import { timeOnce } from '../measure.js';
import type { Timing } from '../measure.js';
import type { Move } from './moves.js';

interface Row {
  doc: string;
  version: number;
  position: number | null;
}

interface Fields {
  moves?: number;
  column?: string;
}

/**
 * The projection's writes done with better-sqlite3 alone: the ceiling the
 * runner is measured against. Same opener as the read store, so the same
 * pragmas (WAL, synchronous=NORMAL); same table shape; the same
 * read-modify-write per event; one IMMEDIATE transaction per batch.
 */
export class RawSqliteMoves {
  private readonly db: SqliteDatabase;
  private readonly select: Statement<[string], Row>;
  private readonly upsert: Statement<[string, string, number, number]>;

  constructor(file: string) {
    this.db = openSqliteDatabase(file, { synchronous: 'NORMAL' });
    this.db.exec(
      `CREATE TABLE moves (
         id TEXT PRIMARY KEY,
         doc TEXT NOT NULL,
         version INTEGER NOT NULL,
         position INTEGER
       )`,
    );
    this.select = this.db.prepare(
      'SELECT doc, version, position FROM moves WHERE id = ?',
    );
    this.upsert = this.db.prepare(
      `INSERT INTO moves (id, doc, version, position) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET doc = excluded.doc,
         version = excluded.version, position = excluded.position`,
    );
  }

  /** The read store's durability settings, read back from the connection. */
  pragmas(): string {
    const journal = this.db.pragma('journal_mode', { simple: true });
    const level = Number(this.db.pragma('synchronous', { simple: true }));
    const levels = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

    return `journal_mode=${journal}, synchronous=${levels[level]}`;
  }

  apply(moves: readonly Move[], batchSize: number): Promise<Timing> {
    return timeOnce(() => {
      for (let first = 0; first < moves.length; first += batchSize) {
        this.db.exec('BEGIN IMMEDIATE');
        for (const move of moves.slice(first, first + batchSize)) {
          this.write(move);
        }
        this.db.exec('COMMIT');
      }
      return moves.length;
    });
  }

  countedMoves(): number {
    const row = this.db
      .prepare<[], { total: number }>(
        "SELECT SUM(json_extract(doc, '$.moves')) AS total FROM moves",
      )
      .get();

    return row?.total ?? 0;
  }

  close(): void {
    this.db.close();
  }

  private write({ id, column, position }: Move): void {
    const row = this.select.get(id);
    if (row?.position != null && row.position >= position) return;

    const doc = row ? (JSON.parse(row.doc) as Fields) : {};
    doc.moves = (doc.moves ?? 0) + 1;
    doc.column = column;
    this.upsert.run(
      id,
      JSON.stringify(doc),
      row ? row.version + 1 : 1,
      position,
    );
  }
}

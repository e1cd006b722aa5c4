import type { Statement } from 'better-sqlite3';

import { openSqliteDatabase } from '../src/storage/sqlite/sqlite-database.js';
import type { SqliteDatabase } from '../src/storage/sqlite/sqlite-database.js';
import { timeOnce, writerLoops } from './measure.js';
import type { Slice, Timing } from './measure.js';
import { sampleEvent } from './sample-events.js';
import { newEventId } from '../src/ports/event-id.js';
import { eventLogSchema as schema } from '../src/storage/sqlite/sqlite-event-store.js';

const streams = 100;
export const fillBatch = 1000;
const synchronousLevels = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

type IdSource = () => string;

type InsertParams = [string, string, number, string, string, string, number];

interface RawRow {
  data: string;
  metadata: string;
}

/**
 * better-sqlite3 with nothing of the adapter around it: the ceiling the
 * adapter is measured against. It opens its file with the adapter's own
 * opener, so the pragmas are the same by construction.
 */
export class RawEventTable {
  private readonly db: SqliteDatabase;
  private readonly insert: Statement<InsertParams>;
  private inserted = 0;

  constructor(file: string) {
    this.db = openSqliteDatabase(file);
    this.db.exec(schema);
    this.insert = this.db.prepare<InsertParams>(
      `INSERT INTO events (id, stream_name, revision, type, data, metadata,
         recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** The durability settings in force, read back from the connection. */
  pragmas(): string {
    const journal = this.db.pragma('journal_mode', { simple: true });
    const level = Number(this.db.pragma('synchronous', { simple: true }));

    return `journal_mode=${journal}, synchronous=${synchronousLevels[level]}`;
  }

  /** Inserts `rows` rows in one IMMEDIATE transaction, as the adapter does. */
  insertInOneTransaction(rows: number, nextId: IdSource = newEventId): number {
    this.db
      .transaction(() => {
        for (let i = 0; i < rows; i++) this.insertRow(nextId());
      })
      .immediate();

    return rows;
  }

  /**
   * Fills the table for the read baseline. Time-ordered ids make this
   * several times faster than random ones, and a read in log order never
   * touches the id index, so the read is not flattered by them.
   */
  fill(rows: number): Promise<Timing> {
    return timeOnce(() => {
      for (let done = 0; done < rows; done += fillBatch) {
        const batch = Math.min(fillBatch, rows - done);
        this.insertInOneTransaction(batch, newEventId);
      }
      return rows;
    });
  }

  /** One writer inserting `rowsPerTransaction` rows per transaction. */
  inserts(rowsPerTransaction: number): Slice {
    return writerLoops(1, () =>
      this.insertInOneTransaction(rowsPerTransaction),
    );
  }

  /**
   * Reads the table in log order, in one statement, and parses what the
   * adapter parses. A negative limit reads it all.
   */
  readAll(limit = -1): Promise<Timing> {
    const select = this.db.prepare<[number], RawRow>(
      `SELECT position, id, stream_name, revision, type, data, metadata,
         recorded_at FROM events ORDER BY position LIMIT ?`,
    );

    return timeOnce(() => {
      let count = 0;
      for (const row of select.iterate(limit)) {
        JSON.parse(row.data);
        JSON.parse(row.metadata);
        count += 1;
      }
      return count;
    });
  }

  close(): void {
    this.db.close();
  }

  // Same work per row as the adapter: a fresh id and two JSON strings.
  // The write baselines use random UUIDs, as the adapter does.
  private insertRow(id: string): void {
    const n = this.inserted++;
    const event = sampleEvent(n);

    this.insert.run(
      id,
      `stream-${n % streams}`,
      Math.floor(n / streams),
      event.type,
      JSON.stringify(event.data),
      JSON.stringify(event.metadata),
      Date.now(),
    );
  }
}

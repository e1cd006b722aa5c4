import Database from 'better-sqlite3';

import type { ReadStore } from '../../src/ports/read-store.js';
import { workItemsCollection } from '../../src/projections/work-items/work-item-documents.js';
import { openSqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';
import type { SqliteDatabase } from '../../src/storage/sqlite/sqlite-database.js';
import { timeOnce } from '../measure.js';
import type { Timing } from '../measure.js';

const table = `rs_${workItemsCollection}`;
const pageSize = 1000;
/** As the vault's chunks: about a megabyte of JSON each. */
const chunkBytes = 1024 * 1024;

/** The tenant's work items read through the port, below encryption. */
export function readThroughPort(
  stored: ReadStore,
  tenantId: string,
): Promise<Timing> {
  return timeOnce(async () => {
    const items = stored.collection(workItemsCollection);
    let count = 0;
    let cursor: string | undefined;
    do {
      const page = await items.find(
        { tenantId },
        { limit: pageSize, ...(cursor === undefined ? {} : { cursor }) },
      );
      count += page.items.length;
      cursor = page.next;
    } while (cursor !== undefined);

    return count;
  });
}

interface StoredRow {
  id: string;
  doc: string;
}

/**
 * The floor under a snapshot on SQLite: the tenant's work-item rows
 * copied with better-sqlite3 alone, out into chunks of a scratch file
 * and back into a table with the same indexes, nothing parsed on the
 * way out, nothing sealed, nothing paused.
 */
export class RawCopies {
  private readonly source: SqliteDatabase;
  private readonly scratch: SqliteDatabase;

  constructor(readModelsFile: string, scratchFile: string) {
    this.source = new Database(readModelsFile, { readonly: true });
    this.scratch = openSqliteDatabase(scratchFile, { synchronous: 'NORMAL' });
    this.scratch.exec(
      'CREATE TABLE chunks (id INTEGER PRIMARY KEY, data TEXT NOT NULL)',
    );
    for (const { sql } of this.schema()) this.scratch.exec(sql);
  }

  /** SELECT the rows, join them into chunks, INSERT the chunks. */
  copyOut(tenantId: string): Promise<Timing> {
    return timeOnce(() => {
      const rows = this.source
        .prepare<[string], StoredRow>(
          `SELECT id, doc FROM ${table}
           WHERE json_extract(doc, '$.tenantId') = ?`,
        )
        .iterate(tenantId);
      const insert = this.scratch.prepare<[number, string]>(
        'INSERT INTO chunks (id, data) VALUES (?, ?)',
      );
      let count = 0;

      this.scratch.transaction(() => {
        this.scratch.exec('DELETE FROM chunks');
        let chunk: string[] = [];
        let bytes = 0;
        for (const { id, doc } of rows) {
          const entry = `{"_id":${JSON.stringify(id)},${doc.slice(1)}`;
          chunk.push(entry);
          bytes += entry.length;
          count += 1;
          if (bytes >= chunkBytes) {
            insert.run(count, `[${chunk.join(',')}]`);
            chunk = [];
            bytes = 0;
          }
        }
        if (chunk.length > 0) insert.run(count, `[${chunk.join(',')}]`);
      })();

      return count;
    });
  }

  /**
   * Deletes the tenant's rows of the scratch table, then inserts the
   * chunks' documents, parsed, in one transaction.
   */
  copyIn(tenantId: string): Promise<Timing> {
    return timeOnce(() => {
      const chunks = this.scratch
        .prepare<[], { data: string }>('SELECT data FROM chunks ORDER BY id')
        .all();
      const insert = this.scratch.prepare<[string, string]>(
        `INSERT INTO ${table} (id, doc, version, position)
         VALUES (?, ?, 1, NULL)`,
      );
      let count = 0;

      this.scratch.transaction(() => {
        this.scratch
          .prepare(
            `DELETE FROM ${table} WHERE json_extract(doc, '$.tenantId') = ?`,
          )
          .run(tenantId);
        for (const { data } of chunks) {
          const documents = JSON.parse(data) as { _id: string }[];
          for (const { _id, ...fields } of documents) {
            insert.run(_id, JSON.stringify(fields));
            count += 1;
          }
        }
      })();

      return count;
    });
  }

  close(): void {
    this.source.close();
    this.scratch.close();
  }

  /** The work-item table and its indexes, as the read store made them. */
  private schema(): { sql: string }[] {
    return this.source
      .prepare<[string], { sql: string }>(
        `SELECT sql FROM sqlite_master
         WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type DESC`,
      )
      .all(table);
  }
}

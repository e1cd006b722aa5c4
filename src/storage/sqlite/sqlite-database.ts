import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

export interface SqliteDatabaseOptions {
  /**
   * FULL syncs every commit to disk before it returns. NORMAL survives a
   * killed process but may lose the last commits to a power loss; WAL
   * loses them as a suffix, in order.
   */
  synchronous: 'FULL' | 'NORMAL';
}

/**
 * Opens a database file in the data folder, ready to be shared with other
 * processes: WAL lets readers run beside the one writer.
 */
export function openSqliteDatabase(
  file: string,
  { synchronous }: SqliteDatabaseOptions = { synchronous: 'FULL' },
): SqliteDatabase {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);

  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  // Freed pages are zeroed, so deleted data leaves no bytes behind.
  db.pragma('secure_delete = ON');

  return db;
}

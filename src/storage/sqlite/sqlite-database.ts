import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/**
 * Opens a database file in the data folder, ready to be shared with other
 * processes: WAL lets readers run beside the one writer, and
 * `synchronous = FULL` makes a commit durable once it returns, even if the
 * process is killed right after.
 */
export function openSqliteDatabase(file: string): SqliteDatabase {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);

  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');

  return db;
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { silentLogger } from '../../src/logger.js';
import type { Logger } from '../../src/ports/logger.js';
import { SqliteEventStore } from '../../src/storage/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../src/storage/sqlite/sqlite-read-store.js';

export interface TempEventStore {
  store: SqliteEventStore;
  dir: string;
  dispose(): Promise<void>;
}

/** A SQLite event store in a fresh temporary folder. */
export function tempEventStore(
  logger: Logger = silentLogger(),
): TempEventStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-'));
  const store = new SqliteEventStore({
    file: path.join(dir, 'events.sqlite'),
    logger,
  });

  return {
    store,
    dir,
    dispose: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TempReadStore {
  store: SqliteReadStore;
  dispose(): Promise<void>;
}

/** A SQLite read store in a fresh temporary folder. */
export function tempReadStore(): TempReadStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-read-'));
  const store = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));

  return {
    store,
    dispose: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

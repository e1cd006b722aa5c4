import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { silentLogger } from '../../src/logger.js';
import type { Logger } from '../../src/ports/logger.js';
import { SqliteEventStore } from '../../src/storage/sqlite/sqlite-event-store.js';

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

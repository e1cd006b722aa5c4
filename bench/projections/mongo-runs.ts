import { silentLogger } from '../../src/logger.js';
import { connectMongoReadStore } from '../../src/storage/mongodb/mongodb-read-store.js';
import { catchUp, countedMoves } from './catch-up.js';
import type { EventLog } from './event-log.js';
import type { MongoDatabases } from './mongo-databases.js';
import { movesOf } from './moves.js';
import { rawCountedMoves, rawMongoMoves } from './raw-mongo-moves.js';
import { expectMoves } from './sqlite-runs.js';
import type { CatchUpSlices } from './sqlite-runs.js';

/**
 * Whole passes over the log, each into a new database: the runner through
 * the MongoDB read store, and the same updates through the driver alone.
 * Each raw pass builds its updates anew, as the SQLite passes do.
 */
export function mongoCatchUps(
  log: EventLog,
  databases: MongoDatabases,
  batchSize: number,
): CatchUpSlices {
  return {
    runner: () =>
      databases.use(async (_db, url) => {
        const readStore = await connectMongoReadStore(url, silentLogger());
        try {
          const timing = await catchUp(log, readStore, batchSize);
          expectMoves(await countedMoves(readStore), timing);
          return timing;
        } finally {
          await readStore.close();
        }
      }),
    raw: () =>
      databases.use(async (db) => {
        const timing = await rawMongoMoves(db, movesOf(log.events));
        expectMoves(await rawCountedMoves(db), timing);
        return timing;
      }),
  };
}

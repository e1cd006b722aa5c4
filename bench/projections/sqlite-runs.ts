import { SqliteReadStore } from '../../src/storage/sqlite/sqlite-read-store.js';
import type { Slice, Timing } from '../measure.js';
import { catchUp, countedMoves } from './catch-up.js';
import type { EventLog } from './event-log.js';
import { movesOf } from './moves.js';
import { RawSqliteMoves } from './raw-sqlite-moves.js';
import type { ScratchFiles } from './scratch-files.js';

export interface CatchUpSlices {
  runner: Slice;
  raw: Slice;
}

/**
 * Whole passes over the log, each into a new read-models file: the runner
 * through SqliteReadStore, and the raw writes through better-sqlite3.
 * A slice ignores the time it is given; a pass takes what it takes. Each
 * raw pass builds its writes anew, before its clock starts: kept for the
 * whole bench, 200,000 of them made the runner's passes 8 to 25% slower,
 * as the garbage collector had them to mark as well.
 */
export function sqliteCatchUps(
  log: EventLog,
  files: ScratchFiles,
  batchSize: number,
): CatchUpSlices {
  return {
    runner: () =>
      files.use('read-models', async (file) => {
        const readStore = new SqliteReadStore(file);
        try {
          const timing = await catchUp(log, readStore, batchSize);
          expectMoves(await countedMoves(readStore), timing);
          return timing;
        } finally {
          await readStore.close();
        }
      }),
    raw: () =>
      files.use('raw-read-models', async (file) => {
        const raw = new RawSqliteMoves(file);
        try {
          const timing = await raw.apply(movesOf(log.events), batchSize);
          expectMoves(raw.countedMoves(), timing);
          return timing;
        } finally {
          raw.close();
        }
      }),
  };
}

/** Every event must have counted one move, or the pass measured less. */
export function expectMoves(counted: number, timing: Timing): void {
  if (counted !== timing.count) {
    throw new Error(`Counted ${counted} moves after ${timing.count} events`);
  }
}

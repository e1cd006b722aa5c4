import { setTimeout as pause } from 'node:timers/promises';

import { silentLogger } from '../../src/logger.js';
import type { ReadStore } from '../../src/ports/read-store.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import { timeOnce } from '../measure.js';
import type { Timing } from '../measure.js';
import type { EventLog } from './event-log.js';
import { movesCollection, workItemMovesProjection } from './work-item-moves.js';
import type { MovesDocument } from './work-item-moves.js';

const statusPollMs = 1;

/**
 * Times a runner with the one projection from its start until it is live
 * with its checkpoint at the last event of the log.
 */
export async function catchUp(
  log: EventLog,
  readStore: ReadStore,
  batchSize: number,
): Promise<Timing> {
  const runner = new ProjectionRunner({
    eventStore: log.store,
    readStore,
    logger: silentLogger(),
    projections: [workItemMovesProjection()],
    batchSize,
  });

  try {
    return await timeOnce(async () => {
      await runner.start();
      await untilLive(runner, log.lastPosition);
      return log.events;
    });
  } finally {
    await runner.stop();
  }
}

async function untilLive(runner: ProjectionRunner, last: bigint) {
  const wanted = last.toString();

  for (;;) {
    const [status] = runner.status();
    if (status?.state === 'live' && status.checkpoint === wanted) return;
    if (status?.state !== 'catching-up' && status?.state !== 'live') {
      throw new Error(
        `The projection stopped while catching up: ${JSON.stringify(status)}`,
      );
    }
    await pause(statusPollMs);
  }
}

/**
 * The moves counted over all documents, read through the port: it must
 * equal the events applied, or the run measured something else.
 */
export async function countedMoves(readStore: ReadStore): Promise<number> {
  const { items } = await readStore
    .collection<MovesDocument>(movesCollection)
    .find({});

  return items.reduce((sum, doc) => sum + doc.moves, 0);
}

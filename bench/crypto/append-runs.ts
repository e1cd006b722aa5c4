import type { EventStore } from '../../src/ports/event-store.js';
import { interleaveBothWays } from '../measure.js';
import type { RunOptions, Sampled } from '../measure.js';
import { concurrentWriters, singleWriter } from '../store-runs.js';
import { workItemUpdate } from './sealed-events.js';

/** The store benchmark's two write loads, on a plain and a sealing store. */
export interface AppendResults {
  writers: number;
  plainSingle: Sampled;
  sealedSingle: Sampled;
  plainConcurrent: Sampled;
  sealedConcurrent: Sampled;
}

/**
 * The same events go to both stores; the encrypting one seals their
 * fields on the way. Each store has its own file, so neither grows the
 * other's log, and the rounds alternate their order, so neither always
 * follows the other's checkpoints.
 */
export async function measureAppends(
  plain: EventStore,
  sealed: EventStore,
  writers: number,
  run: RunOptions,
): Promise<AppendResults> {
  const [plainSingle, sealedSingle, plainConcurrent, sealedConcurrent] =
    await interleaveBothWays(
      [
        singleWriter(plain, workItemUpdate),
        singleWriter(sealed, workItemUpdate),
        concurrentWriters(plain, writers, workItemUpdate),
        concurrentWriters(sealed, writers, workItemUpdate),
      ],
      run,
    );

  return {
    writers,
    plainSingle: plainSingle!,
    sealedSingle: sealedSingle!,
    plainConcurrent: plainConcurrent!,
    sealedConcurrent: sealedConcurrent!,
  };
}

/** The size of one event's data as the store keeps it, in bytes. */
export async function storedDataBytes(
  store: EventStore,
  stream: string,
): Promise<number> {
  const read = await store.readStream(stream, { maxCount: 1 });
  const [event] = read.events;

  return event ? Buffer.byteLength(JSON.stringify(event.data)) : 0;
}

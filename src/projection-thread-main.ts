import { parentPort, workerData } from 'node:worker_threads';

import { HakkiriError } from './domain/hakkiri-error.js';
import { threadLogger } from './logger.js';
import { TenantRecomputations } from './projections/analytics/tenant-recomputations.js';
import { ProjectionRunner } from './projections/projection-runner.js';
import type {
  ThreadData,
  ThreadError,
  ThreadReport,
  ThreadRequest,
} from './projection-thread.js';
import { openStores } from './service-stores.js';
import type { StoreConfig } from './service-stores.js';

/**
 * The projection thread's own composition: it opens the stores, runs the
 * projections and the analytics recomputations on them, and answers the
 * service's requests (see `ProjectionThread`).
 */
const port = parentPort!;
const data = workerData as ThreadData;

function send(report: ThreadReport): void {
  port.postMessage(report);
}

const logger = threadLogger(data.logLevel, (line) =>
  send({ kind: 'log', line }),
);

/** Buffers cross threads as plain byte arrays. */
function storesOf(stores: StoreConfig): StoreConfig {
  const buffer = (bytes: Uint8Array) => Buffer.from(bytes);

  return {
    ...stores,
    masterKey: stores.masterKey && buffer(stores.masterKey),
    previousMasterKeys: stores.previousMasterKeys.map(buffer),
  };
}

function threadError(error: unknown): ThreadError {
  return error instanceof HakkiriError
    ? { code: error.code, message: error.message }
    : { code: 'internal', message: 'the projection thread failed' };
}

async function run(): Promise<void> {
  const stores = await openStores(storesOf(data.stores), logger);
  const { eventStore, readStore, serviceProjections } = stores;
  const runner = new ProjectionRunner({
    eventStore,
    readStore,
    logger,
    projections: serviceProjections.all,
  });
  await runner.start();
  const recomputations = new TenantRecomputations({
    eventStore,
    readStore,
    projection: serviceProjections.analytics,
    logger,
  });
  recomputations.start();

  const releases = new Map<number, () => void>();

  /**
   * The service's work runs while every projection stands still and the
   * recomputations wait, taken in that order, as in one process.
   */
  function hold(id: number, timeoutMs: number): void {
    const held = (position: bigint | undefined) =>
      serviceProjections.analytics.coordination.exclusive(
        () =>
          new Promise<void>((resolve) => {
            releases.set(id, resolve);
            send({ kind: 'held', id, position });
          }),
      );

    runner.atOnePosition(held, timeoutMs).catch((error: unknown) => {
      send({ kind: 'failed', id, error: threadError(error) });
    });
  }

  async function stop(): Promise<void> {
    await recomputations.stop();
    await runner.stop();
    await stores.close();
    send({ kind: 'stopped' });
  }

  port.on('message', (request: ThreadRequest) => {
    if (request.kind === 'hold') {
      hold(request.id, request.timeoutMs);
    } else if (request.kind === 'release') {
      releases.get(request.id)?.();
      releases.delete(request.id);
    } else if (request.kind === 'status') {
      send({ kind: 'status', id: request.id, statuses: runner.status() });
    } else {
      void stop();
    }
  });

  send({ kind: 'ready' });
}

run().catch((error: unknown) => {
  logger.error({ err: error }, 'the projection thread could not start');
  send({ kind: 'failed', id: undefined, error: threadError(error) });
});

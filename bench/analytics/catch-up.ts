import { setTimeout as pause } from 'node:timers/promises';

import { workFactEvents } from '../../src/domain/work-item/work-item-events.js';
import { silentLogger } from '../../src/logger.js';
import type { OpenStores } from '../../src/service-stores.js';
import {
  AnalyticsProjection,
  decodeFact,
} from '../../src/projections/analytics/analytics-projection.js';
import { identityProjection } from '../../src/projections/identity/identity-projection.js';
import type { Projection } from '../../src/projections/projection.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import { timeOnce } from '../measure.js';
import type { Timing } from '../measure.js';

const factTypes = new Set<string>(workFactEvents.map((d) => d.type));

/**
 * The baseline: a projection that takes the same events as the analytics
 * do, decodes each (read from the log, opened, checked by its schema)
 * and writes nothing.
 */
function decodingOnly(): Projection {
  return {
    name: 'decode-only',
    collections: [],
    indexes: {},
    encrypted: {},
    types: factTypes,
    openBatch: async () => ({
      apply: async (recorded) => {
        decodeFact(recorded);
      },
      finish: async () => {},
    }),
  };
}

/**
 * Times the service's projections from runner start until the analytics
 * projection is live with its checkpoint at the head of the log. Counts
 * every event of the log, as the runner reads them all.
 */
export function catchUp(stores: OpenStores, events: number): Promise<Timing> {
  return timeUntilLive(stores, events, new AnalyticsProjection(), [
    identityProjection,
  ]);
}

/** The same for the baseline, alone. */
export function decodeOnlyCatchUp(
  stores: OpenStores,
  events: number,
): Promise<Timing> {
  return timeUntilLive(stores, events, decodingOnly(), []);
}

/**
 * Brings the service's other projections to the head of the log, untimed,
 * so that the queries are measured on a service with nothing to catch up.
 */
export async function settleService(stores: OpenStores): Promise<void> {
  await untilLive(stores, stores.serviceProjections.all);
}

function timeUntilLive(
  stores: OpenStores,
  events: number,
  timed: Projection,
  others: Projection[],
): Promise<Timing> {
  return timeOnce(async () => {
    await untilLive(stores, [...others, timed], timed.name);
    return events;
  });
}

/** Runs projections until the watched one (all when absent) is live. */
async function untilLive(
  stores: OpenStores,
  projections: Projection[],
  watched?: string,
): Promise<void> {
  const head = (await stores.eventStore.headPosition())!.toString();
  const runner = new ProjectionRunner({
    eventStore: stores.eventStore,
    readStore: stores.readStore,
    logger: silentLogger(),
    projections,
  });

  try {
    await runner.start();
    for (;;) {
      const statuses = runner
        .status()
        .filter((s) => watched === undefined || s.name === watched);
      const stopped = statuses.find(
        (s) => s.state === 'failed' || s.state === 'stopped',
      );
      if (stopped) {
        throw new Error(`${stopped.name} stopped: ${JSON.stringify(stopped)}`);
      }
      if (statuses.every((s) => s.state === 'live' && s.checkpoint === head)) {
        return;
      }
      await pause(5);
    }
  } finally {
    await runner.stop();
  }
}

import { setTimeout as pause } from 'node:timers/promises';

import type { OpenStores } from '../../src/main.js';
import { silentLogger } from '../../src/logger.js';
import { AnalyticsProjection } from '../../src/projections/analytics/analytics-projection.js';
import { identityProjection } from '../../src/projections/identity/identity-projection.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import { timeOnce } from '../measure.js';
import type { Timing } from '../measure.js';

/**
 * Times the service's projections from runner start until the analytics
 * projection is live with its checkpoint at the head of the log. Counts
 * every event of the log, as the runner reads them all.
 */
export async function catchUp(
  stores: OpenStores,
  events: number,
): Promise<Timing> {
  const head = (await stores.eventStore.headPosition())!.toString();
  const analytics = new AnalyticsProjection();
  const runner = new ProjectionRunner({
    eventStore: stores.eventStore,
    readStore: stores.readStore,
    logger: silentLogger(),
    projections: [identityProjection, analytics],
  });

  try {
    return await timeOnce(async () => {
      await runner.start();
      for (;;) {
        const status = runner.status().find((s) => s.name === analytics.name)!;
        if (status.state === 'live' && status.checkpoint === head)
          return events;
        if (status.state === 'failed' || status.state === 'stopped') {
          throw new Error(`analytics stopped: ${JSON.stringify(status)}`);
        }
        await pause(5);
      }
    });
  } finally {
    await runner.stop();
  }
}

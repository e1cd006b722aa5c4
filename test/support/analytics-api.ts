import { analyticsRoutes } from '../../src/api/analytics/analytics-routes.js';
import { analyticsServices } from '../../src/api/analytics/analytics-services.js';
import type { AnalyticsServices } from '../../src/api/analytics/analytics-services.js';
import { silentLogger } from '../../src/logger.js';
import { tenantsCollection } from '../../src/projections/analytics/analytics-documents.js';
import type { AnalyticsTenantDocument } from '../../src/projections/analytics/analytics-documents.js';
import { AnalyticsProjection } from '../../src/projections/analytics/analytics-projection.js';
import { TenantRecomputations } from '../../src/projections/analytics/tenant-recomputations.js';
import { ProjectionWatermark } from '../../src/projections/projection-watermark.js';
import type { FixtureEvent } from './analytics-fixture.js';
import { identityApi } from './identity-api.js';
import { pause } from './waiting.js';

export interface AnalyticsApiOptions {
  now?: () => Date;
  pointsLimit?: number;
  agingLimit?: number;
}

/**
 * The identity API with the analytics beside it, over the same stores:
 * the analytics projection, its recomputations and its routes, and the
 * two tenants acme (admin alice) and globex (admin gina).
 */
export async function analyticsApi(options: AnalyticsApiOptions = {}) {
  const logger = silentLogger();
  const analytics = new AnalyticsProjection();
  let services: AnalyticsServices | undefined;
  let recomputations: TenantRecomputations | undefined;

  const api = await identityApi(logger, {
    projections: [analytics],
    routes: (f) => {
      services = analyticsServices({
        eventStore: f.store,
        readStore: f.readStore,
        logger,
        blindIndex: f.encryption.blindIndex,
        ...options,
      });
      recomputations = new TenantRecomputations({
        eventStore: f.store,
        readStore: f.readStore,
        projection: analytics,
        logger,
        idleMs: 20,
        sliceEvents: 200,
      });
      recomputations.start();

      return analyticsRoutes(services);
    },
  });
  const watermark = new ProjectionWatermark(api.f.readStore, {
    timeoutMs: 20_000,
  });
  let last: bigint | undefined;

  async function append(
    tenantId: string,
    stream: string,
    events: FixtureEvent[],
  ): Promise<void> {
    const result = await api.f.store.append(
      stream,
      events.map((event) => ({
        ...event,
        metadata: {
          tenantId,
          correlationId: 'test',
          causationId: 'test',
          schemaVersion: 1,
        },
      })),
      'any',
    );
    last = result.position;
  }

  /** Waits until every append is applied and no recomputation is due. */
  async function settled(): Promise<void> {
    await watermark.reached(analytics.name, last);

    const deadline = Date.now() + 20_000;
    for (;;) {
      const busy = await api.f.readStore
        .collection<AnalyticsTenantDocument>(tenantsCollection)
        .find({ pendingWork: true }, { limit: 1 });
      if (busy.items.length === 0) return;
      if (Date.now() > deadline) throw new Error('recomputation never ended');
      await pause(10);
    }
  }

  return {
    ...api,
    append,
    settled,
    blindIndex: api.f.encryption.blindIndex,
    dispose: async () => {
      await recomputations?.stop();
      await api.dispose();
    },
  };
}

export type AnalyticsApi = Awaited<ReturnType<typeof analyticsApi>>;

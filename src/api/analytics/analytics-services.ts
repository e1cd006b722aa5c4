import { AnalyticsSettings } from '../../commands/analytics/analytics-settings.js';
import type { BlindIndex } from '../../ports/blind-index.js';
import type { EventStore } from '../../ports/event-store.js';
import type { Logger } from '../../ports/logger.js';
import type { ReadStore } from '../../ports/read-store.js';
import { analyticsProjectionName } from '../../projections/analytics/analytics-projection.js';
import { FlowAnalytics } from '../../projections/analytics/flow-analytics.js';
import type { FlowAnalyticsOptions } from '../../projections/analytics/flow-analytics.js';
import { ProjectionWatermark } from '../../projections/projection-watermark.js';

export interface AnalyticsServiceSettings extends FlowAnalyticsOptions {
  eventStore: EventStore;
  readStore: ReadStore;
  logger: Logger;
  blindIndex: BlindIndex;
  now?: () => Date;
}

/** The analytics queries and settings, wired together. */
export function analyticsServices(settings: AnalyticsServiceSettings) {
  const watermark = new ProjectionWatermark(settings.readStore);

  return {
    queries: new FlowAnalytics(settings.readStore, settings),
    settings: new AnalyticsSettings({
      store: settings.eventStore,
      logger: settings.logger,
    }),
    blindIndex: settings.blindIndex,
    now: settings.now ?? (() => new Date()),
    /** Resolves once the analytics read models show a settings change. */
    applied: (position: bigint | undefined) =>
      watermark.reached(analyticsProjectionName, position),
  };
}

export type AnalyticsServices = ReturnType<typeof analyticsServices>;

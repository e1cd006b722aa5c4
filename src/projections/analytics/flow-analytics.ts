import type { LocalCalendar } from '../../domain/analytics/local-calendar.js';
import {
  mean,
  selectNearestRanks,
} from '../../domain/analytics/percentiles.js';
import { stages } from '../../domain/analytics/stage.js';
import type { Stage } from '../../domain/analytics/stage.js';
import type { StatusRule } from '../../domain/analytics/status-mapping-events.js';
import { defaultTimeZone } from '../../domain/tenant/time-zone.js';
import type { ReadStore } from '../../ports/read-store.js';
import { tenantsCollection } from './analytics-documents.js';
import type {
  AnalyticsTenantDocument,
  ScopeFilter,
} from './analytics-documents.js';
import { calendarOf } from './analytics-projection.js';
import { AnswerCache } from './answer-cache.js';
import { DailyCountReads } from './daily-count-reads.js';
import {
  openingCounts,
  stageSeries,
  summedSeries,
  unlessAllZero,
} from './flow-series.js';
import type { DayRange, Interval } from './flow-series.js';
import { recomputationView } from './recomputation-view.js';
import type { RecomputationView } from './recomputation-view.js';
import { WeekReads } from './week-reads.js';
import type { Duration, Point } from './week-reads.js';

const dayMs = 86_400_000;

/**
 * The generation a tenant's queries read, its calendar, and how far it
 * has got: answers are reused for the same view, so take one per query.
 */
export interface AnalyticsView {
  tenantId: string;
  generation: number;
  calendar: LocalCalendar;
  /** The last log position applied to the tenant's analytics. */
  version: string;
}

export interface DurationSummary {
  count: number;
  mean: number | null;
  p50: number | null;
  p75: number | null;
  p85: number | null;
  p95: number | null;
  points: { key: string; finishedAt: string; days: number }[];
  /** True when more items finished in range than `points` holds. */
  pointsTruncated: boolean;
}

export interface StatusTimeSummary {
  status: string;
  stage: Stage;
  items: number;
  meanDays: number | null;
  p50Days: number | null;
  p85Days: number | null;
}

export interface AgingItem {
  key: string;
  status: string;
  startedAt: string;
  ageDays: number;
}

export interface AnalyticsSettings {
  statuses: StatusRule[];
  timeZone: string;
  recomputation: RecomputationView;
}

export interface FlowAnalyticsOptions {
  /** Most points of a scatter plot: the latest finished. */
  pointsLimit?: number;
  /** Most items of the ageing chart: the oldest. */
  agingLimit?: number;
  /** Answers kept for reuse while the read models stay as they are. */
  cacheEntries?: number;
  /** Bytes of decoded week documents kept while they hold. */
  keptWeekBytes?: number;
}

/**
 * Queries over the analytics read models. Each reads the one scope its
 * filters name, and only the days and months of its range: the series
 * from daily counts, the percentiles from the durations kept by the week
 * the items finished in. Answers are kept while the read models stay as
 * they are.
 */
export class FlowAnalytics {
  readonly pointsLimit: number;
  readonly agingLimit: number;
  private readonly cache: AnswerCache;
  private readonly counts: DailyCountReads;
  private readonly weeks: WeekReads;

  constructor(
    private readonly store: ReadStore,
    options: FlowAnalyticsOptions = {},
  ) {
    this.pointsLimit = options.pointsLimit ?? 1000;
    this.agingLimit = options.agingLimit ?? 500;
    this.cache = new AnswerCache(options.cacheEntries ?? 256);
    this.counts = new DailyCountReads(store);
    this.weeks = new WeekReads(
      store,
      options.keptWeekBytes ?? 64 * 1024 * 1024,
    );
  }

  /** The generation to read; a tenant with no analytics reads an empty one. */
  async view(tenantId: string): Promise<AnalyticsView> {
    const tenant = await this.tenant(tenantId);
    const settings = tenant?.active ?? {
      generation: 0,
      timeZone: defaultTimeZone,
    };

    return {
      tenantId,
      generation: settings.generation,
      calendar: calendarOf(settings.timeZone),
      version: tenant?.appliedPosition ?? 'none',
    };
  }

  /** The settings last asked for, and how their recomputation stands. */
  async settings(tenantId: string): Promise<AnalyticsSettings> {
    const tenant = await this.tenant(tenantId);

    return {
      statuses: tenant?.requestedMapping ?? [],
      timeZone: tenant?.requested.timeZone ?? defaultTimeZone,
      recomputation: recomputationView(tenant),
    };
  }

  async throughput(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
    interval: Interval,
  ) {
    return this.cached(
      view,
      'throughput',
      [filter, range, interval],
      async () => {
        const { spans, days } = await this.counts.series(
          view,
          filter,
          range,
          interval,
        );

        return unlessAllZero(
          summedSeries(spans, days, ['throughput'] as const).map(
            ({ start, throughput }) => ({ start, count: throughput }),
          ),
        );
      },
    );
  }

  async createdVsResolved(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
    interval: Interval,
  ) {
    return this.cached(
      view,
      'createdVsResolved',
      [filter, range, interval],
      async () => {
        const { spans, days } = await this.counts.series(
          view,
          filter,
          range,
          interval,
        );

        return unlessAllZero(
          summedSeries(spans, days, ['created', 'resolved'] as const),
        );
      },
    );
  }

  async cfd(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
    interval: Interval,
  ) {
    return this.cached(view, 'cfd', [filter, range, interval], async () => {
      const { spans, days, covered, parts } = await this.counts.series(
        view,
        filter,
        range,
        interval,
      );
      if (!covered) return [];

      const balance = await this.counts.stageBalance(view);
      const opening = openingCounts(
        balance ? parts(balance) : [],
        days,
        covered.from,
      );

      return unlessAllZero(stageSeries(spans, days, opening));
    });
  }

  async wip(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
    interval: Interval,
  ) {
    return this.cached(view, 'wip', [filter, range, interval], async () => {
      const series = await this.cfd(view, filter, range, interval);

      return unlessAllZero(
        series.map(({ start, in_progress }) => ({ start, count: in_progress })),
      );
    });
  }

  cycleTime(view: AnalyticsView, filter: ScopeFilter, range: DayRange) {
    return this.cached(view, 'cycleTime', [filter, range], () =>
      this.durations(view, filter, range, 'cycle'),
    );
  }

  leadTime(view: AnalyticsView, filter: ScopeFilter, range: DayRange) {
    return this.cached(view, 'leadTime', [filter, range], () =>
      this.durations(view, filter, range, 'lead'),
    );
  }

  async timeInStatus(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
  ): Promise<StatusTimeSummary[]> {
    return this.cached(view, 'timeInStatus', [filter, range], async () => {
      const rows = await this.weeks.statusTimes(view, filter, range);

      return rows
        .sort((a, b) => a.stage - b.stage || (a.status < b.status ? -1 : 1))
        .map(({ stage, status, values }) => {
          const [p50, p85] = selectNearestRanks(values, [50, 85]);
          return {
            status,
            stage: stages[stage]!,
            items: values.length,
            meanDays: inDays(mean(values)),
            p50Days: inDays(p50!),
            p85Days: inDays(p85!),
          };
        });
    });
  }

  /** The items in progress now, oldest first, and the cycle-time percentiles. */
  async aging(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
    now: Date,
  ) {
    const { oldest, ...summary } = await this.cached(
      view,
      'aging',
      [filter, range],
      async () => {
        // What is in progress now does not depend on the range.
        const oldest = await this.cached(view, 'inProgress', [filter], () =>
          this.weeks.oldestInProgress(view, filter, this.agingLimit),
        );
        const cycle = await this.weeks.durations(view, filter, range, 'cycle');
        const [p50, p85] = selectNearestRanks(cycle, [50, 85]);
        return {
          oldest: oldest.slice(0, this.agingLimit),
          itemsTruncated: oldest.length > this.agingLimit,
          p50: inDays(p50!),
          p85: inDays(p85!),
        };
      },
    );
    const items: AgingItem[] = oldest.map(([startedAt, key, status]) => ({
      key,
      status,
      startedAt: new Date(startedAt).toISOString(),
      ageDays: (now.getTime() - startedAt) / dayMs,
    }));

    return { items, ...summary };
  }

  /**
   * An answer as it was worked out for the same question, if the tenant's
   * read models have not changed since.
   */
  private cached<Answer>(
    view: AnalyticsView,
    query: string,
    question: unknown[],
    work: () => Promise<Answer>,
  ): Promise<Answer> {
    const key = JSON.stringify([
      view.tenantId,
      view.generation,
      view.version,
      query,
      ...question,
    ]);

    return this.cache.answer(key, work);
  }

  private async durations(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
    duration: Duration,
  ): Promise<DurationSummary> {
    const values = await this.weeks.durations(view, filter, range, duration);
    const [p50, p75, p85, p95] = selectNearestRanks(values, [50, 75, 85, 95]);
    // One more than the limit, to tell whether any were left out.
    const points =
      values.length === 0
        ? []
        : await this.weeks.latestPoints(
            view,
            filter,
            range,
            duration,
            this.pointsLimit + 1,
          );

    return {
      count: values.length,
      mean: inDays(mean(values)),
      p50: inDays(p50!),
      p75: inDays(p75!),
      p85: inDays(p85!),
      p95: inDays(p95!),
      points: points.slice(-this.pointsLimit).map(pointOf),
      pointsTruncated: points.length > this.pointsLimit,
    };
  }

  private tenant(tenantId: string) {
    return this.store
      .collection<AnalyticsTenantDocument>(tenantsCollection)
      .get(tenantId);
  }
}

function pointOf({ key, finishedAt, ms }: Point) {
  return {
    key,
    finishedAt: new Date(finishedAt).toISOString(),
    days: ms / dayMs,
  };
}

function inDays(ms: number | null): number | null {
  return ms === null ? null : ms / dayMs;
}

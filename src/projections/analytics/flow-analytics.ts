import { monthNumberOf } from '../../domain/analytics/civil-day.js';
import type { LocalCalendar } from '../../domain/analytics/local-calendar.js';
import { mean, nearestRank } from '../../domain/analytics/percentiles.js';
import type { Percent } from '../../domain/analytics/percentiles.js';
import { stages } from '../../domain/analytics/stage.js';
import type { Stage } from '../../domain/analytics/stage.js';
import type { StatusRule } from '../../domain/analytics/status-mapping-events.js';
import { defaultTimeZone } from '../../domain/tenant/time-zone.js';
import type {
  ReadCollection,
  ReadDocument,
  ReadStore,
} from '../../ports/read-store.js';
import {
  finishedDaysCollection,
  finishedPointsCollection,
  flowMonthsCollection,
  scopeId,
  stageBalancesCollection,
  statusDaysCollection,
  tenantsCollection,
  wipItemsCollection,
} from './analytics-documents.js';
import type {
  AnalyticsTenantDocument,
  FinishedDayDocument,
  FinishedPointsDocument,
  FlowMonthDocument,
  ScopeFilter,
  StageBalanceDocument,
  StatusDayDocument,
  WipItemDocument,
} from './analytics-documents.js';
import { calendarOf } from './analytics-projection.js';
import {
  coveredRange,
  dailyCounts,
  intervalsOf,
  openingCounts,
  stageSeries,
  summedSeries,
  unlessAllZero,
} from './flow-series.js';
import type { DayRange, Interval } from './flow-series.js';
import { unpackNumbers } from './packed-numbers.js';
import { recomputationView } from './recomputation-view.js';
import type { RecomputationView } from './recomputation-view.js';

const dayMs = 86_400_000;

/** The generation a tenant's queries read, and its calendar. */
export interface AnalyticsView {
  tenantId: string;
  generation: number;
  calendar: LocalCalendar;
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
}

type Duration = 'cycle' | 'lead';

/**
 * Queries over the analytics read models. Each reads the one scope its
 * filters name, and only the days and months of its range: the series
 * from daily counts, the percentiles from the finished items' durations,
 * bounded by the range, sorted here.
 */
export class FlowAnalytics {
  readonly pointsLimit: number;
  readonly agingLimit: number;

  constructor(
    private readonly store: ReadStore,
    options: FlowAnalyticsOptions = {},
  ) {
    this.pointsLimit = options.pointsLimit ?? 1000;
    this.agingLimit = options.agingLimit ?? 500;
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
    const { spans, days } = await this.dailySeries(
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
  }

  async createdVsResolved(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
    interval: Interval,
  ) {
    const { spans, days } = await this.dailySeries(
      view,
      filter,
      range,
      interval,
    );

    return unlessAllZero(
      summedSeries(spans, days, ['created', 'resolved'] as const),
    );
  }

  async cfd(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
    interval: Interval,
  ) {
    const { spans, days, covered } = await this.dailySeries(
      view,
      filter,
      range,
      interval,
    );
    if (!covered) return [];

    const balance = await this.collection<StageBalanceDocument>(
      stageBalancesCollection,
    ).get(scopeId(view.tenantId, view.generation, filter));
    const opening = openingCounts(balance, days, covered.from);

    return unlessAllZero(stageSeries(spans, days, opening));
  }

  async wip(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
    interval: Interval,
  ) {
    const series = await this.cfd(view, filter, range, interval);

    return unlessAllZero(
      series.map(({ start, in_progress }) => ({ start, count: in_progress })),
    );
  }

  cycleTime(view: AnalyticsView, filter: ScopeFilter, range: DayRange) {
    return this.durations(view, filter, range, 'cycle');
  }

  leadTime(view: AnalyticsView, filter: ScopeFilter, range: DayRange) {
    return this.durations(view, filter, range, 'lead');
  }

  async timeInStatus(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
  ): Promise<StatusTimeSummary[]> {
    const docs = await this.dayDocuments<StatusDayDocument>(
      statusDaysCollection,
      view,
      filter,
      range,
    );
    const groups = new Map<
      string,
      { status: string; stage: Stage; values: number[] }
    >();
    for (const doc of docs) {
      for (const times of doc.statuses) {
        const key = JSON.stringify([stages.indexOf(times.stage), times.status]);
        const group = groups.get(key) ?? {
          status: times.status,
          stage: times.stage,
          values: [],
        };
        for (const ms of unpackNumbers(times.values)) group.values.push(ms);
        groups.set(key, group);
      }
    }

    return [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, { status, stage, values }]) => {
        const sorted = Float64Array.from(values).sort();
        return {
          status,
          stage,
          items: sorted.length,
          meanDays: inDays(mean(sorted)),
          p50Days: inDays(nearestRank(sorted, 50)),
          p85Days: inDays(nearestRank(sorted, 85)),
        };
      });
  }

  /** The items in progress now, oldest first, and the cycle-time percentiles. */
  async aging(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
    now: Date,
  ) {
    const page = await this.collection<WipItemDocument>(
      wipItemsCollection,
    ).find(
      { tenantId: view.tenantId, generation: view.generation, ...filter },
      { sort: [['startedAt', 1]], limit: this.agingLimit },
    );
    const items: AgingItem[] = page.items.map((doc) => ({
      key: doc.label.key,
      status: doc.label.status,
      startedAt: new Date(doc.startedAt).toISOString(),
      ageDays: (now.getTime() - doc.startedAt) / dayMs,
    }));
    const cycle = sortedDurations(
      await this.dayDocuments<FinishedDayDocument>(
        finishedDaysCollection,
        view,
        filter,
        range,
      ),
      'cycle',
    );

    return {
      items,
      itemsTruncated: page.next !== undefined,
      p50: inDays(nearestRank(cycle, 50)),
      p85: inDays(nearestRank(cycle, 85)),
    };
  }

  private async durations(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
    duration: Duration,
  ): Promise<DurationSummary> {
    const days = await this.dayDocuments<FinishedDayDocument>(
      finishedDaysCollection,
      view,
      filter,
      range,
    );
    const sorted = sortedDurations(days, duration);
    const percentile = (p: Percent) => inDays(nearestRank(sorted, p));
    const points = await this.latestPoints(view, filter, range, duration);

    return {
      count: sorted.length,
      mean: inDays(mean(sorted)),
      p50: percentile(50),
      p75: percentile(75),
      p85: percentile(85),
      p95: percentile(95),
      points: points.slice(-this.pointsLimit),
      pointsTruncated: points.length > this.pointsLimit,
    };
  }

  /** Up to one more point than the limit, to tell whether any were left out. */
  private async latestPoints(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
    duration: Duration,
  ): Promise<DurationSummary['points']> {
    const points: DurationSummary['points'] = [];
    const wanted = this.pointsLimit + 1;
    const collection = this.collection<FinishedPointsDocument>(
      finishedPointsCollection,
    );

    let cursor: string | undefined;
    do {
      const page = await collection.find(
        {
          scope: scopeId(view.tenantId, view.generation, filter),
          day: { $gte: range.from, $lte: range.to },
        },
        { sort: [['day', -1]], limit: 7, ...(cursor && { cursor }) },
      );
      for (const doc of page.items) {
        const day = doc.points
          .filter(([, cycleMs]) => duration === 'lead' || cycleMs >= 0)
          .map(([finishedAt, cycleMs, leadMs, key]) => ({
            key,
            finishedAt: new Date(finishedAt).toISOString(),
            days: (duration === 'cycle' ? cycleMs : leadMs) / dayMs,
          }));
        points.unshift(...day);
      }
      cursor = points.length < wanted ? page.next : undefined;
    } while (cursor);

    return points.slice(-wanted);
  }

  private async dailySeries(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
    interval: Interval,
  ) {
    const spans = intervalsOf(range, interval);
    const covered = coveredRange(spans);
    if (!covered) return { spans, days: new Map(), covered };

    const months = await this.all(
      this.collection<FlowMonthDocument>(flowMonthsCollection),
      {
        scope: scopeId(view.tenantId, view.generation, filter),
        month: {
          $gte: monthNumberOf(covered.from),
          $lte: monthNumberOf(covered.to),
        },
      },
    );

    return { spans, days: dailyCounts(months), covered };
  }

  private dayDocuments<Doc extends ReadDocument>(
    collection: string,
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
  ): Promise<Doc[]> {
    return this.all(this.collection<Doc>(collection), {
      scope: scopeId(view.tenantId, view.generation, filter),
      day: { $gte: range.from, $lte: range.to },
    });
  }

  /** Every page: ranges are bounded, so the documents are too. */
  private async all<Doc extends ReadDocument>(
    collection: ReadCollection<Doc>,
    filter: Parameters<ReadCollection<Doc>['find']>[0],
  ): Promise<Doc[]> {
    const docs: Doc[] = [];
    let cursor: string | undefined;
    do {
      const page = await collection.find(filter, {
        limit: 1000,
        ...(cursor && { cursor }),
      });
      docs.push(...page.items);
      cursor = page.next;
    } while (cursor);

    return docs;
  }

  private tenant(tenantId: string) {
    return this.collection<AnalyticsTenantDocument>(tenantsCollection).get(
      tenantId,
    );
  }

  private collection<Doc extends ReadDocument>(name: string) {
    return this.store.collection<Doc>(name);
  }
}

/** The cycle or lead times, in ms, sorted; items with no cycle time left out. */
function sortedDurations(
  days: FinishedDayDocument[],
  duration: Duration,
): Float64Array {
  const values: number[] = [];
  const offset = duration === 'cycle' ? 1 : 2;
  for (const doc of days) {
    const entries = unpackNumbers(doc.entries);
    for (let i = 0; i + 2 < entries.length; i += 3) {
      const value = entries[i + offset]!;
      if (value >= 0) values.push(value);
    }
  }

  return Float64Array.from(values).sort();
}

function inDays(ms: number | null): number | null {
  return ms === null ? null : ms / dayMs;
}

import { monthNumberOf } from '../../domain/analytics/civil-day.js';
import type { LocalCalendar } from '../../domain/analytics/local-calendar.js';
import {
  mean,
  selectNearestRanks,
} from '../../domain/analytics/percentiles.js';
import { stages } from '../../domain/analytics/stage.js';
import type { Stage } from '../../domain/analytics/stage.js';
import type { StatusRule } from '../../domain/analytics/status-mapping-events.js';
import { defaultTimeZone } from '../../domain/tenant/time-zone.js';
import { pagesOf } from '../../ports/read-pages.js';
import type {
  ReadCollection,
  ReadDocument,
  ReadStore,
} from '../../ports/read-store.js';
import {
  flowMonthsCollection,
  comboOf,
  generationIdOf,
  stageBalancesCollection,
  tenantsCollection,
  wipWeeksCollection,
} from './analytics-documents.js';
import type {
  AnalyticsTenantDocument,
  FlowMonthDocument,
  ScopeFilter,
  StageBalanceDocument,
  WipEntry,
  WipWeekDocument,
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
import { AnswerCache } from './answer-cache.js';
import { recomputationView } from './recomputation-view.js';
import { tupleWidth } from './entry-documents.js';
import { GenerationDimensions } from './generation-dimensions.js';
import { KeptWeeks } from './kept-weeks.js';
import {
  finishedWeeks,
  groupedByKey,
  pointWeeks,
  statusKeyOf,
  statusOfKey,
  statusWeeks,
  weekIdsOf,
} from './week-decoders.js';
import type { PackedWeek, StatusTimes } from './week-decoders.js';
import type { WeekDecoder } from './kept-weeks.js';
import type { RecomputationView } from './recomputation-view.js';

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
  private readonly cache: AnswerCache;
  private readonly weeks: KeptWeeks;

  constructor(
    private readonly store: ReadStore,
    options: FlowAnalyticsOptions = {},
  ) {
    this.pointsLimit = options.pointsLimit ?? 1000;
    this.agingLimit = options.agingLimit ?? 500;
    this.cache = new AnswerCache(options.cacheEntries ?? 256);
    this.weeks = new KeptWeeks(
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
        const { spans, days } = await this.dailySeries(
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
      const { spans, days, covered, parts } = await this.dailySeries(
        view,
        filter,
        range,
        interval,
      );
      if (!covered) return [];

      const balance = await this.collection<StageBalanceDocument>(
        stageBalancesCollection,
      ).get(generationIdOf(view.tenantId, view.generation));
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
      const { weeks, whole, each, dimensions } = await this.weeksOf(
        statusWeeks,
        view,
        filter,
        range,
      );
      // One row per status and stage: whole weeks give theirs ready made.
      const byKey = new Map<number, Float64Array[]>();
      const add = ({ key, times }: StatusTimes) => {
        const chunks = byKey.get(key);
        if (chunks) chunks.push(times);
        else byKey.set(key, [times]);
      };
      for (const week of weeks) {
        if (whole(week)) {
          week.groups.forEach(add);
          continue;
        }
        const keys = new Int32Array(week.entries.length / tupleWidth);
        const times = new Float64Array(keys.length);
        let count = 0;
        each(week, (packed, at) => {
          keys[count] = statusKeyOf(packed[at]!, packed[at + 1]!);
          times[count++] = packed[at + 2]!;
        });
        groupedByKey(keys, times, count).forEach(add);
      }

      return [...byKey]
        .map(([key, chunks]) => {
          const { status, stage } = statusOfKey(key);
          return {
            stage,
            status: dimensions.valueOf('statusNames', status),
            values: joined(chunks),
          };
        })
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
          this.oldestInProgress(view, filter),
        );
        const cycle = await this.durationValues(view, filter, range, 'cycle');
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

  /** Up to one more than the limit, to tell whether any were left out. */
  private async oldestInProgress(view: AnalyticsView, filter: ScopeFilter) {
    const dimensions = await GenerationDimensions.load(
      this.store,
      view.tenantId,
      view.generation,
    );
    const place = placeFilter(dimensions, filter);
    if (place === null) return [];
    const items: WipEntry[] = [];
    const weeks = this.collection<WipWeekDocument>(wipWeeksCollection);

    let cursor: string | undefined;
    do {
      const page = await weeks.find(
        { tenantId: view.tenantId, generation: view.generation },
        { sort: [['week', 1]], limit: 8, ...(cursor && { cursor }) },
      );
      for (const doc of page.items) {
        for (const item of doc.items) {
          if (place(item[3], item[4], item[5])) items.push(item);
        }
      }
      cursor = items.length <= this.agingLimit ? page.next : undefined;
    } while (cursor);

    return items;
  }

  private async durations(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
    duration: Duration,
  ): Promise<DurationSummary> {
    const values = await this.durationValues(view, filter, range, duration);
    const [p50, p75, p85, p95] = selectNearestRanks(values, [50, 75, 85, 95]);
    const points =
      values.length === 0
        ? []
        : await this.latestPoints(view, filter, range, duration);

    return {
      count: values.length,
      mean: inDays(mean(values)),
      p50: inDays(p50!),
      p75: inDays(p75!),
      p85: inDays(p85!),
      p95: inDays(p95!),
      points: points.slice(-this.pointsLimit),
      pointsTruncated: points.length > this.pointsLimit,
    };
  }

  /** Cycle or lead times in ms, in no order; items with no cycle time left out. */
  private async durationValues(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
    duration: Duration,
  ): Promise<Float64Array> {
    const { weeks, whole, each } = await this.weeksOf(
      finishedWeeks,
      view,
      filter,
      range,
    );
    const offset = duration === 'cycle' ? 1 : 2;
    const chunks = weeks.map((week) => {
      if (whole(week)) return week[duration];

      const values = new Float64Array(week.entries.length / tupleWidth);
      let count = 0;
      each(week, (packed, at) => {
        const value = packed[at + offset]!;
        if (value >= 0) values[count++] = value;
      });
      return values.subarray(0, count);
    });

    return joined(chunks);
  }

  /**
   * The weeks of the range, and how to take from each: a week wholly in
   * the range, asked for with no filter, counts whole; of another, `each`
   * visits the entries whose day is in range and whose place passes the
   * filter, with the index their seven numbers start at.
   */
  private async weeksOf<Week extends PackedWeek>(
    decoder: WeekDecoder<ReadDocument & { entries: string }, Week>,
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
  ) {
    const ids = weekIdsOf(view.tenantId, view.generation, range);
    const dimensions = await GenerationDimensions.load(
      this.store,
      view.tenantId,
      view.generation,
    );
    const place = placeFilter(dimensions, filter);
    const weeks = place === null ? [] : await this.weeks.load(decoder, ids);
    const anywhere = !isFiltered(filter);
    const { from, to } = range;

    const whole = ({ week }: PackedWeek) =>
      anywhere && week >= from && week + 6 <= to;
    const each = (
      { entries }: PackedWeek,
      visit: (packed: Float64Array, at: number) => void,
    ) => {
      for (let at = 0; at + tupleWidth <= entries.length; at += tupleWidth) {
        const day = entries[at + 3]!;
        const kept =
          day >= from &&
          day <= to &&
          (anywhere ||
            place!(entries[at + 4]!, entries[at + 5]!, entries[at + 6]!));
        if (kept) visit(entries, at);
      }
    };

    return { weeks, whole, each, dimensions };
  }

  /** Up to one more point than the limit, to tell whether any were left out. */
  private async latestPoints(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
    duration: Duration,
  ): Promise<DurationSummary['points']> {
    const dimensions = await GenerationDimensions.load(
      this.store,
      view.tenantId,
      view.generation,
    );
    const place = placeFilter(dimensions, filter);
    if (place === null) return [];
    const wanted = this.pointsLimit + 1;
    const newestFirst = weekIdsOf(
      view.tenantId,
      view.generation,
      range,
    ).reverse();
    // Newest first, while there are too few: turned round at the end.
    const latest: DurationSummary['points'] = [];

    for (let first = 0; first < newestFirst.length; first += pointWeeksAtOnce) {
      const ids = newestFirst.slice(first, first + pointWeeksAtOnce);
      for (const { numbers, keys } of await this.weeks.load(pointWeeks, ids)) {
        for (let i = keys.length - 1; i >= 0; i--) {
          const at = i * tupleWidth;
          const cycleMs = numbers[at + 1]!;
          const day = numbers[at + 3]!;
          const kept =
            day >= range.from &&
            day <= range.to &&
            (duration === 'lead' || cycleMs >= 0) &&
            place(numbers[at + 4]!, numbers[at + 5]!, numbers[at + 6]!);
          if (kept) {
            const ms = duration === 'cycle' ? cycleMs : numbers[at + 2]!;
            latest.push({
              key: keys[i]!,
              finishedAt: new Date(numbers[at]!).toISOString(),
              days: ms / dayMs,
            });
          }
          if (latest.length === wanted) break;
        }
        if (latest.length === wanted) break;
      }
      if (latest.length === wanted) break;
    }

    return latest.reverse();
  }

  private async dailySeries(
    view: AnalyticsView,
    filter: ScopeFilter,
    range: DayRange,
    interval: Interval,
  ) {
    const spans = intervalsOf(range, interval);
    const covered = coveredRange(spans);
    const parts = await this.countParts(view, filter);
    if (!covered) return { spans, days: new Map(), covered, parts };

    const months = await this.all(
      this.collection<FlowMonthDocument>(flowMonthsCollection),
      {
        tenantId: view.tenantId,
        generation: view.generation,
        month: {
          $gte: monthNumberOf(covered.from),
          $lte: monthNumberOf(covered.to),
        },
      },
    );

    return { spans, days: dailyCounts(months, parts), covered, parts };
  }

  /**
   * Which parts of a counts document a query adds up: the tenant's with
   * no filters, else every combination the filters pass.
   */
  private async countParts(view: AnalyticsView, filter: ScopeFilter) {
    if (!isFiltered(filter)) {
      return <Part>(doc: { all: Part }): Part[] => [doc.all];
    }

    const dimensions = await GenerationDimensions.load(
      this.store,
      view.tenantId,
      view.generation,
    );
    const place = placeFilter(dimensions, filter);

    return <Part>(doc: { combos: Record<string, Part> }): Part[] =>
      Object.entries(doc.combos ?? {}).flatMap(([key, part]) => {
        const combo = comboOf(key);
        return place && combo && place(...combo) ? [part] : [];
      });
  }

  /** Every page: ranges are bounded, so the documents are too. */
  private async all<Doc extends ReadDocument>(
    collection: ReadCollection<Doc>,
    filter: Parameters<ReadCollection<Doc>['find']>[0],
  ): Promise<Doc[]> {
    const docs: Doc[] = [];
    for await (const page of pagesOf(collection, filter, 1000)) {
      docs.push(...page);
    }

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

/** A week holds about a thousand points: most answers need one or two. */
const pointWeeksAtOnce = 2;

/**
 * Whether an entry's connection, project and issue type numbers pass the
 * filter; null when a filter names a value the generation never met, so
 * that nothing does.
 */
function placeFilter(
  dimensions: GenerationDimensions,
  filter: ScopeFilter,
):
  ((connection: number, project: number, issueType: number) => boolean) | null {
  const wanted = (
    dimension: 'connections' | 'projects' | 'issueTypes',
    value: string | undefined,
  ) => (value === undefined ? -1 : (dimensions.find(dimension, value) ?? null));
  const connection = wanted('connections', filter.connectionId);
  const project = wanted('projects', filter.projectIndex);
  const issueType = wanted('issueTypes', filter.issueTypeIndex);
  if (connection === null || project === null || issueType === null) {
    return null;
  }

  return (c, p, t) =>
    (connection < 0 || c === connection) &&
    (project < 0 || p === project) &&
    (issueType < 0 || t === issueType);
}

/**
 * The chunks' values in one new array: selection reorders what it is
 * given, and chunks may be the kept weeks' own.
 */
function joined(chunks: readonly Float64Array[]): Float64Array {
  const values = new Float64Array(
    chunks.reduce((sum, chunk) => sum + chunk.length, 0),
  );
  let at = 0;
  for (const chunk of chunks) {
    values.set(chunk, at);
    at += chunk.length;
  }

  return values;
}

function isFiltered(filter: ScopeFilter): boolean {
  return (
    filter.connectionId !== undefined ||
    filter.projectIndex !== undefined ||
    filter.issueTypeIndex !== undefined
  );
}

function inDays(ms: number | null): number | null {
  return ms === null ? null : ms / dayMs;
}

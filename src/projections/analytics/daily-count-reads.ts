import { monthNumberOf } from '../../domain/analytics/civil-day.js';
import { pagesOf } from '../../ports/read-pages.js';
import type { ReadStore } from '../../ports/read-store.js';
import {
  comboOf,
  flowMonthsCollection,
  generationIdOf,
  stageBalancesCollection,
} from './analytics-documents.js';
import type {
  FlowMonthDocument,
  GenerationRef,
  ScopeFilter,
  StageBalanceDocument,
} from './analytics-documents.js';
import { coveredRange, dailyCounts, intervalsOf } from './flow-series.js';
import type { DayRange, Interval } from './flow-series.js';
import { GenerationDimensions } from './generation-dimensions.js';
import { isFiltered, placeFilter } from './place-filter.js';

/**
 * Reads the precomputed daily counts the series queries add up: the
 * month documents of a range, and the stage balance before the first.
 */
export class DailyCountReads {
  constructor(private readonly store: ReadStore) {}

  /** The range's intervals, and its counts by day for the filter. */
  async series(
    ref: GenerationRef,
    filter: ScopeFilter,
    range: DayRange,
    interval: Interval,
  ) {
    const spans = intervalsOf(range, interval);
    const covered = coveredRange(spans);
    const parts = await this.countParts(ref, filter);
    if (!covered) return { spans, days: new Map(), covered, parts };

    const months: FlowMonthDocument[] = [];
    const filterOfMonths = {
      tenantId: ref.tenantId,
      generation: ref.generation,
      month: {
        $gte: monthNumberOf(covered.from),
        $lte: monthNumberOf(covered.to),
      },
    };
    const collection =
      this.store.collection<FlowMonthDocument>(flowMonthsCollection);
    // Ranges are bounded, so their months are too.
    for await (const page of pagesOf(collection, filterOfMonths, 1000)) {
      months.push(...page);
    }

    return { spans, days: dailyCounts(months, parts), covered, parts };
  }

  /** The generation's net change per stage, month by month. */
  stageBalance(ref: GenerationRef) {
    return this.store
      .collection<StageBalanceDocument>(stageBalancesCollection)
      .get(generationIdOf(ref.tenantId, ref.generation));
  }

  /**
   * Which parts of a counts document a query adds up: the tenant's with
   * no filters, else every combination the filters pass.
   */
  private async countParts(ref: GenerationRef, filter: ScopeFilter) {
    if (!isFiltered(filter)) {
      return <Part>(doc: { all: Part }): Part[] => [doc.all];
    }

    const dimensions = await GenerationDimensions.load(
      this.store,
      ref.tenantId,
      ref.generation,
    );
    const place = placeFilter(dimensions, filter);

    return <Part>(doc: { combos: Record<string, Part> }): Part[] =>
      Object.entries(doc.combos ?? {}).flatMap(([key, part]) => {
        const combo = comboOf(key);
        return place && combo && place(...combo) ? [part] : [];
      });
  }
}

import type { ReadDocument, ReadStore } from '../../ports/read-store.js';
import { wipWeeksCollection } from './analytics-documents.js';
import type {
  GenerationRef,
  ScopeFilter,
  WipEntry,
  WipWeekDocument,
} from './analytics-documents.js';
import { tupleWidth } from './entry-documents.js';
import type { DayRange } from './flow-series.js';
import { GenerationDimensions } from './generation-dimensions.js';
import { KeptWeeks } from './kept-weeks.js';
import type { WeekDecoder } from './kept-weeks.js';
import { isFiltered, placeFilter } from './place-filter.js';
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

export type Duration = 'cycle' | 'lead';

export interface Point {
  key: string;
  finishedAt: number;
  ms: number;
}

/** A status's times, in ms, over the items finished in a range. */
export interface StatusTimeValues {
  status: string;
  stage: number;
  values: Float64Array;
}

/** A week holds about a thousand points: most answers need one or two. */
const pointWeeksAtOnce = 2;

/**
 * Reads the week documents the duration queries work over: finished
 * items with their timings and status visits, and items in progress.
 * Decoded weeks are kept while their versions hold, so a range reads
 * whole only the weeks that changed.
 */
export class WeekReads {
  private readonly weeks: KeptWeeks;

  constructor(
    private readonly store: ReadStore,
    keptWeekBytes: number,
  ) {
    this.weeks = new KeptWeeks(store, keptWeekBytes);
  }

  /** Cycle or lead times in ms, in no order; items with no cycle time left out. */
  async durations(
    ref: GenerationRef,
    filter: ScopeFilter,
    range: DayRange,
    duration: Duration,
  ): Promise<Float64Array> {
    const { weeks, whole, each } = await this.weeksOf(
      finishedWeeks,
      ref,
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

  /** Each status's times, by status and stage, in no order. */
  async statusTimes(
    ref: GenerationRef,
    filter: ScopeFilter,
    range: DayRange,
  ): Promise<StatusTimeValues[]> {
    const { weeks, whole, each, dimensions } = await this.weeksOf(
      statusWeeks,
      ref,
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

    return [...byKey].map(([key, chunks]) => {
      const { status, stage } = statusOfKey(key);
      return {
        stage,
        status: dimensions.valueOf('statusNames', status),
        values: joined(chunks),
      };
    });
  }

  /**
   * The latest finished items' points, oldest first: up to `wanted`,
   * read a week or two at a time from the newest week back.
   */
  async latestPoints(
    ref: GenerationRef,
    filter: ScopeFilter,
    range: DayRange,
    duration: Duration,
    wanted: number,
  ): Promise<Point[]> {
    const place = placeFilter(await this.dimensions(ref), filter);
    if (place === null) return [];
    const newestFirst = weekIdsOf(ref.tenantId, ref.generation, range);
    newestFirst.reverse();
    // Newest first, while there are too few: turned round at the end.
    const latest: Point[] = [];

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
            latest.push({
              key: keys[i]!,
              finishedAt: numbers[at]!,
              ms: duration === 'cycle' ? cycleMs : numbers[at + 2]!,
            });
            if (latest.length === wanted) return latest.reverse();
          }
        }
      }
    }

    return latest.reverse();
  }

  /**
   * The items in progress now, by the week they started, oldest first:
   * whole weeks, until there are more than `enough`.
   */
  async oldestInProgress(
    ref: GenerationRef,
    filter: ScopeFilter,
    enough: number,
  ): Promise<WipEntry[]> {
    const place = placeFilter(await this.dimensions(ref), filter);
    if (place === null) return [];
    const items: WipEntry[] = [];
    const weeks = this.store.collection<WipWeekDocument>(wipWeeksCollection);

    let cursor: string | undefined;
    do {
      const page = await weeks.find(
        { tenantId: ref.tenantId, generation: ref.generation },
        { sort: [['week', 1]], limit: 8, ...(cursor && { cursor }) },
      );
      for (const doc of page.items) {
        for (const item of doc.items) {
          if (place(item[3], item[4], item[5])) items.push(item);
        }
      }
      cursor = items.length <= enough ? page.next : undefined;
    } while (cursor);

    return items;
  }

  /**
   * The weeks of the range, and how to take from each: a week wholly in
   * the range, asked for with no filter, counts whole; of another, `each`
   * visits the entries whose day is in range and whose place passes the
   * filter, with the index their seven numbers start at.
   */
  private async weeksOf<Week extends PackedWeek>(
    decoder: WeekDecoder<ReadDocument & { entries: string }, Week>,
    ref: GenerationRef,
    filter: ScopeFilter,
    range: DayRange,
  ) {
    const ids = weekIdsOf(ref.tenantId, ref.generation, range);
    const dimensions = await this.dimensions(ref);
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

  private dimensions(ref: GenerationRef) {
    return GenerationDimensions.load(this.store, ref.tenantId, ref.generation);
  }
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

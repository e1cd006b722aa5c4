import type { CivilDay } from '../../domain/analytics/civil-day.js';
import { mondayOf } from '../../domain/analytics/civil-day.js';
import { stages } from '../../domain/analytics/stage.js';
import {
  finishedPointsCollection,
  finishedWeeksCollection,
  generationIdOf,
  statusWeeksCollection,
} from './analytics-documents.js';
import type {
  FinishedPointsDocument,
  FinishedWeekDocument,
  StatusWeekDocument,
} from './analytics-documents.js';
import { tupleWidth } from './entry-documents.js';
import type { WeekDecoder } from './kept-weeks.js';
import { unpackNumbers } from './packed-numbers.js';

/**
 * A week's packed entries, seven numbers to an entry, with its Monday.
 * A query over a range reads most of its weeks whole and filters only
 * the weeks at its edges, so each week also carries, ready made, what a
 * query takes from a whole week.
 */
export interface PackedWeek {
  week: CivilDay;
  entries: Float64Array;
}

/** Finished items, with every cycle time (where one was) and lead time. */
export interface FinishedWeek extends PackedWeek {
  cycle: Float64Array;
  lead: Float64Array;
}

/** Visits to statuses, with their times grouped by status and stage. */
export interface StatusWeek extends PackedWeek {
  groups: StatusTimes[];
}

export interface StatusTimes {
  /** The status's number and its stage's index, as `statusKeyOf` gives. */
  key: number;
  times: Float64Array;
}

/** One small number for a status and a stage. */
export function statusKeyOf(status: number, stage: number): number {
  return status * stages.length + stage;
}

export function statusOfKey(key: number): { status: number; stage: number } {
  return {
    status: Math.floor(key / stages.length),
    stage: key % stages.length,
  };
}

export const finishedWeeks: WeekDecoder<FinishedWeekDocument, FinishedWeek> = {
  collection: finishedWeeksCollection,
  decode(doc) {
    const entries = unpackNumbers(doc.entries);

    return {
      week: doc.week,
      entries,
      cycle: column(entries, 1),
      lead: column(entries, 2),
    };
  },
  bytes: (week) =>
    week.entries.byteLength + week.cycle.byteLength + week.lead.byteLength,
};

export const statusWeeks: WeekDecoder<StatusWeekDocument, StatusWeek> = {
  collection: statusWeeksCollection,
  decode(doc) {
    const entries = unpackNumbers(doc.entries);
    const count = entries.length / tupleWidth;
    const keys = new Int32Array(count);
    const times = new Float64Array(count);
    for (let i = 0, at = 0; i < count; i++, at += tupleWidth) {
      keys[i] = statusKeyOf(entries[at]!, entries[at + 1]!);
      times[i] = entries[at + 2]!;
    }

    return {
      week: doc.week,
      entries,
      groups: groupedByKey(keys, times, count),
    };
  },
  bytes: (week) =>
    week.entries.byteLength +
    week.groups.reduce((sum, { times }) => sum + times.byteLength, 0),
};

/**
 * A week's finished points, kept compact: their numbers packed seven to
 * a point (finished at, cycle, lead, day, connection, project, issue
 * type) and their keys beside them. Kept as parsed, a point per array,
 * they were a hundred thousand objects for the collector to walk.
 */
export interface PointsWeek {
  numbers: Float64Array;
  keys: string[];
}

/** About what a short key takes in memory, as a string of its own. */
const keyBytes = 40;

export const pointWeeks: WeekDecoder<FinishedPointsDocument, PointsWeek> = {
  collection: finishedPointsCollection,
  decode(doc) {
    const numbers = new Float64Array(doc.points.length * tupleWidth);
    const keys = doc.points.map(([at, cycle, lead, key, ...rest], i) => {
      numbers.set([at, cycle, lead, ...rest], i * tupleWidth);
      return key;
    });

    return { numbers, keys };
  },
  bytes: (week) => week.numbers.byteLength + week.keys.length * keyBytes,
};

/** The ids of a generation's week documents over a range, oldest first. */
export function weekIdsOf(
  tenantId: string,
  generation: number,
  range: { from: CivilDay; to: CivilDay },
): string[] {
  const ids: string[] = [];
  for (let week = mondayOf(range.from); week <= range.to; week += 7) {
    ids.push(generationIdOf(tenantId, generation, week));
  }

  return ids;
}

/**
 * The values grouped by their keys, in key order, each group a view of
 * one array: counted first, then placed, with no array grown value by
 * value.
 */
export function groupedByKey(
  keys: Int32Array,
  values: Float64Array,
  count: number,
): StatusTimes[] {
  const sizes: number[] = [];
  for (let i = 0; i < count; i++) sizes[keys[i]!] = (sizes[keys[i]!] ?? 0) + 1;

  const starts: number[] = [];
  let start = 0;
  sizes.forEach((size, key) => {
    starts[key] = start;
    start += size;
  });

  const grouped = new Float64Array(count);
  const next = [...starts];
  for (let i = 0; i < count; i++) grouped[next[keys[i]!]!++] = values[i]!;

  // Holes (keys never met) are skipped by flatMap.
  return starts.flatMap((at, key) => [
    { key, times: grouped.subarray(at, at + sizes[key]!) },
  ]);
}

/** The entries' values at one offset, those that are durations (≥ 0). */
function column(entries: Float64Array, offset: number): Float64Array {
  const values = new Float64Array(entries.length / tupleWidth);
  let count = 0;
  for (let at = offset; at < entries.length; at += tupleWidth) {
    if (entries[at]! >= 0) values[count++] = entries[at]!;
  }

  return values.slice(0, count);
}

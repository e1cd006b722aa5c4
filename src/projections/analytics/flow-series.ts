import {
  civilDayIn,
  isoDateOf,
  mondayOf,
  monthNumberOf,
} from '../../domain/analytics/civil-day.js';
import type { CivilDay } from '../../domain/analytics/civil-day.js';
import { stages } from '../../domain/analytics/stage.js';
import type { Stage } from '../../domain/analytics/stage.js';
import { monthField } from './analytics-documents.js';
import type {
  DayCounts,
  FlowMonthDocument,
  MonthCounts,
  StageChanges,
} from './analytics-documents.js';

export type Interval = 'day' | 'week';

/** Local days, both ends included. */
export interface DayRange {
  from: CivilDay;
  to: CivilDay;
}

export interface IntervalSpan {
  start: CivilDay;
  end: CivilDay;
}

/**
 * The intervals of a range. Weeks run Monday to Sunday, and a range asked
 * for by week is widened to whole weeks.
 */
export function intervalsOf(
  range: DayRange,
  interval: Interval,
): IntervalSpan[] {
  const length = interval === 'day' ? 1 : 7;
  const first = interval === 'day' ? range.from : mondayOf(range.from);
  const spans: IntervalSpan[] = [];

  for (let start = first; start <= range.to; start += length) {
    spans.push({ start, end: start + length - 1 });
  }

  return spans;
}

/** The days a series of intervals covers, whole weeks included. */
export function coveredRange(spans: IntervalSpan[]): DayRange | undefined {
  const first = spans[0];
  const last = spans[spans.length - 1];

  return first && last ? { from: first.start, to: last.end } : undefined;
}

/**
 * The daily counts of the month documents, by day, summed over the parts
 * of each document a query reads: the tenant's, or some combinations'.
 */
export function dailyCounts(
  months: readonly FlowMonthDocument[],
  parts: (month: FlowMonthDocument) => MonthCounts[],
): Map<CivilDay, DayCounts> {
  const days = new Map<CivilDay, DayCounts>();
  for (const month of months) {
    for (const part of parts(month)) {
      for (const [field, counts] of Object.entries(part)) {
        const day = civilDayIn(month.month, Number(field.slice(1)));
        const sum: Record<string, number> = days.get(day) ?? {};
        for (const [name, n] of Object.entries(counts)) {
          sum[name] = (sum[name] ?? 0) + (n ?? 0);
        }
        days.set(day, sum);
      }
    }
  }

  return days;
}

export type StageCounts = Record<Stage, number>;

/**
 * How many items were in each stage as the range began: every change of
 * the months before its first month, then of that month's days before
 * its first day.
 */
export function openingCounts(
  balances: readonly StageChanges[],
  days: Map<CivilDay, DayCounts>,
  from: CivilDay,
): StageCounts {
  const counts: StageCounts = { todo: 0, in_progress: 0, done: 0 };
  const firstMonth = monthField(monthNumberOf(from));

  for (const balance of balances) {
    for (const [field, month] of Object.entries(balance)) {
      if (field >= firstMonth) continue;
      for (const stage of stages) counts[stage] += month[stage] ?? 0;
    }
  }
  for (let day = civilDayIn(monthNumberOf(from), 1); day < from; day++) {
    const change = days.get(day);
    for (const stage of stages) counts[stage] += change?.[stage] ?? 0;
  }

  return counts;
}

/** Sums a count over each interval. */
export function summedSeries<Field extends keyof DayCounts>(
  spans: IntervalSpan[],
  days: Map<CivilDay, DayCounts>,
  fields: readonly Field[],
): ({ start: string } & Record<Field, number>)[] {
  return spans.map((span) => {
    const point = { start: isoDateOf(span.start) } as {
      start: string;
    } & Record<Field, number>;
    for (const field of fields) {
      let sum = 0;
      for (let day = span.start; day <= span.end; day++) {
        sum += days.get(day)?.[field] ?? 0;
      }
      (point as Record<string, number | string>)[field] = sum;
    }

    return point;
  });
}

/** The items in each stage at the end of each interval. */
export function stageSeries(
  spans: IntervalSpan[],
  days: Map<CivilDay, DayCounts>,
  opening: StageCounts,
): ({ start: string } & StageCounts)[] {
  const running = { ...opening };
  const first = spans[0]?.start ?? 0;
  let day = first;

  return spans.map((span) => {
    for (; day <= span.end; day++) {
      const change = days.get(day);
      for (const stage of stages) running[stage] += change?.[stage] ?? 0;
    }

    return { start: isoDateOf(span.start), ...running };
  });
}

/** A series that would be all zeros is empty: nothing happened in range. */
export function unlessAllZero<Point extends { start: string }>(
  series: Point[],
): Point[] {
  const anything = series.some((point) =>
    Object.entries(point as Record<string, unknown>).some(
      ([field, n]) => field !== 'start' && n !== 0,
    ),
  );

  return anything ? series : [];
}

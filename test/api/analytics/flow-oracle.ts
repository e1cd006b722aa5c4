import type { GeneratedItem, GeneratedStatus } from './generated-tenant.js';

/**
 * The answers every analytics query should give for the generated items,
 * worked out independently of the service: a plain loop over each item's
 * transitions, with the definitions of the issue written out again here.
 */

type Stage = 'todo' | 'in_progress' | 'done';

export interface OracleRule {
  status: string;
  stage: Stage;
  excludeFromThroughput: boolean;
}

export interface OracleFilter {
  connection?: string;
  project?: string;
  issueType?: string;
}

const dayMs = 86_400_000;
const stageOrder: Stage[] = ['todo', 'in_progress', 'done'];
const jiraStage = {
  new: 'todo',
  indeterminate: 'in_progress',
  done: 'done',
} as const;

interface Visit {
  status: GeneratedStatus;
  stage: Stage;
  excluded: boolean;
  from: number;
}

interface ItemTimes {
  item: GeneratedItem;
  visits: Visit[];
  started: number | null;
  finished: number | null;
  excluded: boolean;
  /** Index of the visit the item finished with. */
  finishVisit: number;
}

export function oracleFor(
  allItems: GeneratedItem[],
  timeZone: string,
  rules: OracleRule[],
) {
  const dateFormat = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  // Remembered: Intl is slow, and the loops below ask about each instant
  // many times.
  const dates = new Map<number, string>();
  const localDate = (ms: number) => {
    let date = dates.get(ms);
    if (date === undefined) {
      date = dateFormat.format(new Date(ms));
      dates.set(ms, date);
    }
    return date;
  };

  function stageOf(status: GeneratedStatus) {
    const rule = rules.find(
      (r) => r.status.toLowerCase() === status.name.toLowerCase(),
    );
    if (rule)
      return { stage: rule.stage, excluded: rule.excludeFromThroughput };
    if (!status.knowable) return { stage: 'todo' as Stage, excluded: false };
    return { stage: jiraStage[status.category] as Stage, excluded: false };
  }

  function timesOf(item: GeneratedItem): ItemTimes {
    const visits: Visit[] = [
      { status: item.initial, from: item.createdAt, ...stageOf(item.initial) },
    ];
    for (const t of item.transitions) {
      visits.push({ status: t.to, from: t.at, ...stageOf(t.to) });
    }

    let started: number | null = null;
    for (const visit of visits) {
      if (visit.stage === 'in_progress') {
        started = visit.from;
        break;
      }
    }

    let finishVisit = -1;
    if (visits[visits.length - 1]!.stage === 'done') {
      finishVisit = visits.length - 1;
      while (finishVisit > 0 && visits[finishVisit - 1]!.stage === 'done') {
        finishVisit--;
      }
    }

    return {
      item,
      visits,
      started,
      finished: finishVisit < 0 ? null : visits[finishVisit]!.from,
      excluded: finishVisit >= 0 && visits[visits.length - 1]!.excluded,
      finishVisit,
    };
  }

  const everyItem = allItems.filter((item) => !item.deleted).map(timesOf);

  function matching(filter: OracleFilter): ItemTimes[] {
    return everyItem.filter(
      ({ item }) =>
        (filter.connection === undefined ||
          item.connectionId === filter.connection) &&
        (filter.project === undefined || item.project === filter.project) &&
        (filter.issueType === undefined || item.issueType === filter.issueType),
    );
  }

  /** The intervals of a range as [first day, last day], weeks from Monday. */
  function intervals(from: string, to: string, interval: 'day' | 'week') {
    let start = Date.parse(from);
    if (interval === 'week') {
      const weekday = new Date(start).getUTCDay();
      start -= ((weekday + 6) % 7) * dayMs;
    }
    const length = interval === 'day' ? 1 : 7;
    const spans: { start: string; days: string[] }[] = [];
    for (; start <= Date.parse(to); start += length * dayMs) {
      const days: string[] = [];
      for (let d = 0; d < length; d++) {
        days.push(new Date(start + d * dayMs).toISOString().slice(0, 10));
      }
      spans.push({ start: days[0]!, days });
    }
    return spans;
  }

  function stageAtEndOf(times: ItemTimes, day: string): Stage | null {
    let stage: Stage | null = null;
    for (const visit of times.visits) {
      if (localDate(visit.from) <= day) stage = visit.stage;
    }
    return stage;
  }

  function finishedIn(filter: OracleFilter, from: string, to: string) {
    return matching(filter).filter(
      (t) =>
        t.finished !== null &&
        localDate(t.finished) >= from &&
        localDate(t.finished) <= to,
    );
  }

  return {
    throughput(
      filter: OracleFilter,
      from: string,
      to: string,
      interval: 'day' | 'week',
    ) {
      return nonZero(
        intervals(from, to, interval).map(({ start, days }) => ({
          start,
          count: matching(filter).filter(
            (t) =>
              t.finished !== null &&
              !t.excluded &&
              days.includes(localDate(t.finished)),
          ).length,
        })),
      );
    },

    createdVsResolved(
      filter: OracleFilter,
      from: string,
      to: string,
      interval: 'day' | 'week',
    ) {
      return nonZero(
        intervals(from, to, interval).map(({ start, days }) => ({
          start,
          created: matching(filter).filter((t) =>
            days.includes(localDate(t.item.createdAt)),
          ).length,
          resolved: matching(filter).filter(
            (t) => t.finished !== null && days.includes(localDate(t.finished)),
          ).length,
        })),
      );
    },

    cfd(
      filter: OracleFilter,
      from: string,
      to: string,
      interval: 'day' | 'week',
    ) {
      return nonZero(
        intervals(from, to, interval).map(({ start, days }) => {
          const end = days[days.length - 1]!;
          const counts = { todo: 0, in_progress: 0, done: 0 };
          for (const times of matching(filter)) {
            const stage = stageAtEndOf(times, end);
            if (stage) counts[stage] += 1;
          }
          return { start, ...counts };
        }),
      );
    },

    wip(
      filter: OracleFilter,
      from: string,
      to: string,
      interval: 'day' | 'week',
    ) {
      return nonZero(
        this.cfd(filter, from, to, interval).map(({ start, in_progress }) => ({
          start,
          count: in_progress,
        })),
      );
    },

    cycleTime(filter: OracleFilter, from: string, to: string) {
      const finished = finishedIn(filter, from, to).filter(
        (t) => t.started !== null,
      );
      return distribution(
        finished.map((t) => ({
          key: t.item.key,
          finishedAt: t.finished!,
          ms: t.finished! - t.started!,
        })),
        finished.map((t) => [
          t.finished!,
          t.finished! - t.started!,
          t.finished! - t.item.createdAt,
          t.item.key,
        ]),
      );
    },

    leadTime(filter: OracleFilter, from: string, to: string) {
      const finished = finishedIn(filter, from, to);
      return distribution(
        finished.map((t) => ({
          key: t.item.key,
          finishedAt: t.finished!,
          ms: t.finished! - t.item.createdAt,
        })),
        finished.map((t) => [
          t.finished!,
          t.started === null ? -1 : t.finished! - t.started,
          t.finished! - t.item.createdAt,
          t.item.key,
        ]),
      );
    },

    timeInStatus(filter: OracleFilter, from: string, to: string) {
      const groups = new Map<
        string,
        { status: string; stage: Stage; values: number[] }
      >();
      for (const times of finishedIn(filter, from, to)) {
        const perItem = new Map<
          string,
          { status: string; stage: Stage; ms: number }
        >();
        for (let i = 0; i < times.finishVisit; i++) {
          const visit = times.visits[i]!;
          const key = `${stageOrder.indexOf(visit.stage)}|${visit.status.name}`;
          const spent = times.visits[i + 1]!.from - visit.from;
          const known = perItem.get(key);
          if (known) known.ms += spent;
          else
            perItem.set(key, {
              status: visit.status.name,
              stage: visit.stage,
              ms: spent,
            });
        }
        for (const [key, { status, stage, ms }] of perItem) {
          const group = groups.get(key) ?? { status, stage, values: [] };
          group.values.push(ms);
          groups.set(key, group);
        }
      }
      return [...groups.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([, { status, stage, values }]) => {
          const sorted = [...values].sort((a, b) => a - b);
          return {
            status,
            stage,
            items: sorted.length,
            meanDays: average(sorted),
            p50Days: percentile(sorted, 50),
            p85Days: percentile(sorted, 85),
          };
        });
    },

    aging(filter: OracleFilter, from: string, to: string, now: number) {
      const items = matching(filter)
        .filter((t) => t.visits[t.visits.length - 1]!.stage === 'in_progress')
        .map((t) => ({
          key: t.item.key,
          status: t.visits[t.visits.length - 1]!.status.name,
          startedAt: new Date(t.started!).toISOString(),
          ageDays: (now - t.started!) / dayMs,
        }))
        .sort((a, b) =>
          a.startedAt < b.startedAt
            ? -1
            : a.startedAt > b.startedAt
              ? 1
              : a.key < b.key
                ? -1
                : 1,
        );
      const cycle = this.cycleTime(filter, from, to);
      return { items, p50: cycle.p50, p85: cycle.p85 };
    },
  };
}

export type FlowOracle = ReturnType<typeof oracleFor>;

function distribution(
  values: { key: string; finishedAt: number; ms: number }[],
  order: (number | string)[][],
) {
  const sorted = values.map((v) => v.ms).sort((a, b) => a - b);
  const points = values
    .map((v, i) => ({ point: v, order: order[i]! }))
    .sort((a, b) => {
      for (let i = 0; i < a.order.length; i++) {
        if (a.order[i]! < b.order[i]!) return -1;
        if (a.order[i]! > b.order[i]!) return 1;
      }
      return 0;
    })
    .map(({ point }) => ({
      key: point.key,
      finishedAt: new Date(point.finishedAt).toISOString(),
      days: point.ms / dayMs,
    }));

  return {
    count: sorted.length,
    mean: average(sorted),
    p50: percentile(sorted, 50),
    p75: percentile(sorted, 75),
    p85: percentile(sorted, 85),
    p95: percentile(sorted, 95),
    points,
  };
}

/** Nearest rank: the value at rank ceil(p × n), counting from 1. */
function percentile(sorted: number[], percent: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((percent * sorted.length) / 100);
  return sorted[rank - 1]! / dayMs;
}

function average(values: number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((sum, v) => sum + v, 0) / values.length / dayMs;
}

function nonZero<Point extends { start: string }>(series: Point[]): Point[] {
  const anything = series.some((point) =>
    Object.entries(point as Record<string, unknown>).some(
      ([field, n]) => field !== 'start' && n !== 0,
    ),
  );
  return anything ? series : [];
}

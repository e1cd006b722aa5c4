import { dayOfMonth, monthNumberOf } from '../../domain/analytics/civil-day.js';
import type { CivilDay } from '../../domain/analytics/civil-day.js';
import type { FlowTimings } from '../../domain/analytics/flow-timings.js';
import type { LocalCalendar } from '../../domain/analytics/local-calendar.js';
import type { Stage } from '../../domain/analytics/stage.js';
import { dayField, monthField } from './analytics-documents.js';
import type { FinishedPoint } from './analytics-documents.js';

/** Where an item counts: its connection, project and issue type. */
export type Placement = {
  connectionId: string;
  projectIndex: string;
  issueTypeIndex: string;
  key: string;
};

/** A counter of a flow month (`month` set) or of a stage balance. */
export interface CounterRef {
  month: number;
  /** In a flow month: `days.d7.created`; in a balance: `months.m202405.todo`. */
  path: string;
  balance: boolean;
}

export interface StatusTimeEntry {
  day: CivilDay;
  status: string;
  stage: Stage;
  ms: number;
}

/**
 * What one item adds to the read models of its scopes, before the scopes
 * are known: counters by day and month, its entry among the finished
 * items, its time in each status, and whether it is in progress now.
 */
export interface ItemContribution {
  counters: Map<string, number>;
  finished: { day: CivilDay; point: FinishedPoint } | null;
  statusTimes: StatusTimeEntry[];
  wip: { startedAt: number; status: string } | null;
}

export const noContribution: ItemContribution = {
  counters: new Map(),
  finished: null,
  statusTimes: [],
  wip: null,
};

export function counterKey(ref: CounterRef): string {
  return `${ref.balance ? 'b' : 'f'}\t${ref.month}\t${ref.path}`;
}

export function counterRef(key: string): CounterRef {
  const [kind, month, path] = key.split('\t') as [string, string, string];

  return { balance: kind === 'b', month: Number(month), path };
}

/** The contribution of an item with these timings, in days of a calendar. */
export function contributionOf(
  timings: FlowTimings | null,
  key: string,
  calendar: LocalCalendar,
): ItemContribution {
  if (timings === null) return noContribution;

  const counters = new Map<string, number>();
  const count = (day: CivilDay, field: string, n: number) =>
    add(counters, flowCounter(day, field), n);
  const move = (day: CivilDay, stage: Stage, n: number) => {
    count(day, stage, n);
    add(counters, balanceCounter(day, stage), n);
  };

  count(calendar.dayOf(timings.createdAt), 'created', 1);
  timings.stageMarks.forEach((mark, i) => {
    const day = calendar.dayOf(mark.at);
    move(day, mark.stage, 1);
    const previous = timings.stageMarks[i - 1];
    if (previous) move(day, previous.stage, -1);
  });

  const finished = finishedOf(timings, key, calendar);
  if (finished) {
    count(finished.day, 'resolved', 1);
    if (!timings.excludedFromThroughput) count(finished.day, 'throughput', 1);
  }

  return {
    counters,
    finished,
    statusTimes: finished
      ? timings.statusTimes.map((t) => ({ day: finished.day, ...t }))
      : [],
    wip:
      timings.current.stage === 'in_progress' && timings.startedAt !== null
        ? { startedAt: timings.startedAt, status: timings.current.status ?? '' }
        : null,
  };
}

function finishedOf(
  timings: FlowTimings,
  key: string,
  calendar: LocalCalendar,
): ItemContribution['finished'] {
  const { finishedAt, startedAt, createdAt } = timings;
  if (finishedAt === null) return null;

  const cycleMs = startedAt === null ? -1 : finishedAt - startedAt;
  return {
    day: calendar.dayOf(finishedAt),
    point: [finishedAt, cycleMs, finishedAt - createdAt, key],
  };
}

function flowCounter(day: CivilDay, field: string): string {
  return counterKey({
    balance: false,
    month: monthNumberOf(day),
    path: `days.${dayField(dayOfMonth(day))}.${field}`,
  });
}

function balanceCounter(day: CivilDay, stage: Stage): string {
  const month = monthNumberOf(day);

  return counterKey({
    balance: true,
    month,
    path: `months.${monthField(month)}.${stage}`,
  });
}

function add(counters: Map<string, number>, key: string, n: number): void {
  const sum = (counters.get(key) ?? 0) + n;
  if (sum === 0) counters.delete(key);
  else counters.set(key, sum);
}

/** The counters of `after` minus those of `before`, zeros left out. */
export function counterDifference(
  before: Map<string, number>,
  after: Map<string, number>,
): Map<string, number> {
  const difference = new Map(after);
  for (const [key, n] of before) add(difference, key, -n);

  return difference;
}

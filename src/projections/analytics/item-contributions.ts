import { dayOfMonth, monthNumberOf } from '../../domain/analytics/civil-day.js';
import type { CivilDay } from '../../domain/analytics/civil-day.js';
import type { FlowTimings } from '../../domain/analytics/flow-timings.js';
import type { LocalCalendar } from '../../domain/analytics/local-calendar.js';
import type { Stage } from '../../domain/analytics/stage.js';
import { dayField, monthField } from './analytics-documents.js';

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
  /** In a flow month: `d7.created`; in a balance: `m202405.todo`. */
  path: string;
  balance: boolean;
}

/** When an item finished, and its durations: cycle time -1 for none. */
export interface FinishedAt {
  day: CivilDay;
  finishedAt: number;
  cycleMs: number;
  leadMs: number;
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
  finished: FinishedAt | null;
  statusTimes: StatusTimeEntry[];
  wip: { startedAt: number; day: CivilDay; status: string } | null;
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
  calendar: LocalCalendar,
): ItemContribution {
  if (timings === null) return noContribution;

  const counters = new Map<string, number>();
  add(counters, flowCounter(calendar.dayOf(timings.createdAt), 'created'), 1);

  const marks = timings.stageMarks;
  for (let i = 0; i < marks.length; i++) {
    const mark = marks[i]!;
    const day = calendar.dayOf(mark.at);
    addMove(counters, day, mark.stage, 1);
    const previous = marks[i - 1];
    if (previous) addMove(counters, day, previous.stage, -1);
  }

  const finished = finishedOf(timings, calendar);
  if (finished) {
    add(counters, flowCounter(finished.day, 'resolved'), 1);
    if (!timings.excludedFromThroughput) {
      add(counters, flowCounter(finished.day, 'throughput'), 1);
    }
  }

  return {
    counters,
    finished,
    statusTimes: finished
      ? timings.statusTimes.map((t) => ({ day: finished.day, ...t }))
      : [],
    wip:
      timings.current.stage === 'in_progress' && timings.startedAt !== null
        ? {
            startedAt: timings.startedAt,
            day: calendar.dayOf(timings.startedAt),
            status: timings.current.status ?? '',
          }
        : null,
  };
}

function finishedOf(
  timings: FlowTimings,
  calendar: LocalCalendar,
): FinishedAt | null {
  const { finishedAt, startedAt, createdAt } = timings;
  if (finishedAt === null) return null;

  return {
    day: calendar.dayOf(finishedAt),
    finishedAt,
    cycleMs: startedAt === null ? -1 : finishedAt - startedAt,
    leadMs: finishedAt - createdAt,
  };
}

/** A change of the items in a stage: the day's count and the month's. */
function addMove(
  counters: Map<string, number>,
  day: CivilDay,
  stage: Stage,
  n: number,
): void {
  add(counters, flowCounter(day, stage), n);
  add(counters, balanceCounter(day, stage), n);
}

function flowCounter(day: CivilDay, field: string): string {
  return counterKey({
    balance: false,
    month: monthNumberOf(day),
    path: `${dayField(dayOfMonth(day))}.${field}`,
  });
}

function balanceCounter(day: CivilDay, stage: Stage): string {
  const month = monthNumberOf(day);

  return counterKey({
    balance: true,
    month,
    path: `${monthField(month)}.${stage}`,
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

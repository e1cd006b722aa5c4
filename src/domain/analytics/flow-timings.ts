import { unknownStatusStage } from './stage.js';
import type { Stage } from './stage.js';
import type { StageResolver, StatusRef } from './stage-resolution.js';
import type { WorkItemFacts } from './work-item-facts.js';

/** A stretch of an item's life in one status, until the next one starts. */
interface Segment {
  /** Null before the first known status, when the changelog starts later. */
  status: StatusRef | null;
  stage: Stage;
  excludeFromThroughput: boolean;
  fallback: boolean;
  from: number;
}

export type StageMark = {
  at: number;
  stage: Stage;
};

export type StatusTime = {
  status: string;
  stage: Stage;
  ms: number;
};

/** What an item's flow adds up to, under one mapping of stages. */
export type FlowTimings = {
  createdAt: number;
  /** The first time it entered an in-progress stage. */
  startedAt: number | null;
  /** The last time it entered a done stage, if it stayed there. */
  finishedAt: number | null;
  /** Its status now is done but excluded from throughput. */
  excludedFromThroughput: boolean;
  /** The stage at creation, then each change of stage. */
  stageMarks: StageMark[];
  /**
   * Finished items only: the time spent in each status from creation to
   * the finish, all visits added up.
   */
  statusTimes: StatusTime[];
  current: { status: string | null; stage: Stage };
  /** Statuses whose stage came from the connection's knowledge. */
  fallbackStatusIds: string[];
};

/**
 * Derives an item's flow from its facts. An item that has not been
 * observed yet, or that is deleted, has none: it counts nowhere.
 *
 * Before its first transition an item is in the status that transition
 * left; with no transitions, in the status it was observed in. A
 * transition stamped before the item's creation counts from the creation.
 */
export function flowTimings(
  facts: WorkItemFacts,
  resolve: StageResolver,
): FlowTimings | null {
  const observed = facts.observed;
  if (!observed || facts.deleted) return null;

  const segments = segmentsOf(facts, resolve);
  const last = segments[segments.length - 1]!;
  const finishRun = last.stage === 'done' ? doneRunStart(segments) : undefined;
  const started = segments.find((s) => s.stage === 'in_progress');

  return {
    createdAt: observed.createdAt,
    startedAt: started ? started.from : null,
    finishedAt: finishRun === undefined ? null : segments[finishRun]!.from,
    excludedFromThroughput:
      finishRun !== undefined && last.excludeFromThroughput,
    stageMarks: stageMarksOf(segments),
    statusTimes:
      finishRun === undefined ? [] : statusTimesBefore(segments, finishRun),
    current: { status: last.status?.name ?? null, stage: last.stage },
    fallbackStatusIds: fallbackIds(segments),
  };
}

function segmentsOf(facts: WorkItemFacts, resolve: StageResolver): Segment[] {
  const observed = facts.observed!;
  const createdAt = observed.createdAt;
  const first = facts.transitions[0];
  const initial: StatusRef | null = first
    ? first.fromId === null
      ? null
      : {
          id: first.fromId,
          name: first.fromName ?? '',
          category: first.fromCategory,
        }
    : {
        id: observed.statusId,
        name: observed.statusName,
        category: observed.statusCategory,
      };

  const segments = [segment(initial, createdAt, resolve)];
  for (const t of facts.transitions) {
    const status = { id: t.toId, name: t.toName, category: t.toCategory };
    segments.push(segment(status, Math.max(t.at, createdAt), resolve));
  }

  return segments;
}

function segment(
  status: StatusRef | null,
  from: number,
  resolve: StageResolver,
): Segment {
  if (status === null) {
    return {
      status,
      stage: unknownStatusStage,
      excludeFromThroughput: false,
      fallback: false,
      from,
    };
  }

  return { status, ...resolve(status), from };
}

/** Where the last run of done segments begins. */
function doneRunStart(segments: Segment[]): number {
  let start = segments.length - 1;
  while (start > 0 && segments[start - 1]!.stage === 'done') start -= 1;

  return start;
}

function stageMarksOf(segments: Segment[]): StageMark[] {
  const marks: StageMark[] = [];
  for (const s of segments) {
    if (marks[marks.length - 1]?.stage !== s.stage) {
      marks.push({ at: s.from, stage: s.stage });
    }
  }

  return marks;
}

function statusTimesBefore(segments: Segment[], end: number): StatusTime[] {
  const times = new Map<string, StatusTime>();

  for (let i = 0; i < end; i++) {
    const s = segments[i]!;
    if (s.status === null) continue;

    const ms = segments[i + 1]!.from - s.from;
    const group = JSON.stringify([s.status.name, s.stage]);
    const known = times.get(group);
    if (known) known.ms += ms;
    else times.set(group, { status: s.status.name, stage: s.stage, ms });
  }

  return [...times.values()];
}

function fallbackIds(segments: Segment[]): string[] {
  const ids = segments.flatMap((s) =>
    s.status !== null && s.fallback ? [s.status.id] : [],
  );

  return [...new Set(ids)].sort();
}

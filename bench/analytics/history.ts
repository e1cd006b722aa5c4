import type { NewEvent } from '../../src/ports/event-store.js';
import type { StatusCategory } from '../../src/domain/work-item/work-item-events.js';

/** A seeded generator (mulberry32): every run loads the same tenant. */
export function randomness(seed: number) {
  let state = seed >>> 0;

  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Status = [id: string, name: string, category: StatusCategory];

const toDo: Status = ['1', 'To Do', 'new'];
const inProgress: Status = ['3', 'In Progress', 'indeterminate'];
const inReview: Status = ['10010', 'In Review', 'indeterminate'];
const blocked: Status = ['10011', 'Blocked', 'indeterminate'];
const done: Status = ['10002', 'Done', 'done'];
const wontDo: Status = ['10012', "Won't Do", 'done'];

export const workflowStatuses = [
  toDo,
  inProgress,
  inReview,
  blocked,
  done,
  wontDo,
];

/** Where work goes next from each status, most often first. */
const next = new Map<Status, Status[]>([
  [toDo, [inProgress, inProgress, inProgress, done, wontDo]],
  [inProgress, [inReview, inReview, blocked, done, toDo]],
  [inReview, [inProgress, done, done, done]],
  [blocked, [inProgress, inProgress, toDo]],
  [done, [inProgress, toDo]],
  [wontDo, [toDo]],
]);

export const projects = [
  'ALPHA',
  'BETA',
  'GAMMA',
  'DELTA',
  'OMEGA',
  'PI',
  'RHO',
  'SIGMA',
];
export const issueTypes = ['Story', 'Bug', 'Task', 'Epic'];

const dayMs = 86_400_000;

export interface HistoryShape {
  items: number;
  changesPerItem: number;
  /** The last instant of the history: now. */
  end: number;
  connectionId: string;
  projectIndexes: string[];
  issueTypeIndexes: string[];
}

/**
 * One item's stream as a full sync records it: its changelog, then its
 * observation. Items are created evenly over the two years before the
 * end; each moves through the workflow with a day or so between moves,
 * some reopened, some blocked, most done in the end. Recent ones are
 * still open. The random walk has as many moves as asked.
 */
export function itemHistory(
  n: number,
  shape: HistoryShape,
): { stream: string; events: Omit<NewEvent, 'metadata'>[] } {
  const random = randomness(n + 1);
  const span = 2 * 365 * dayMs;
  const created = shape.end - span + Math.floor((n / shape.items) * span);
  const meanGap = Math.min(
    dayMs,
    (shape.end - created) / (shape.changesPerItem * 2 + 1),
  );
  const issueId = String(100_000 + n);
  const project = n % projects.length;
  const key = `${projects[project]}-${n + 1}`;

  const events: Omit<NewEvent, 'metadata'>[] = [];
  let status = toDo;
  let at = created;
  for (let m = 0; m < shape.changesPerItem; m++) {
    const choices = next.get(status)!;
    const last = m === shape.changesPerItem - 1;
    const to =
      last && shape.end - at > 30 * dayMs
        ? done
        : choices[Math.floor(random() * choices.length)]!;
    const gap = Math.max(1000, Math.round(-Math.log(1 - random()) * meanGap));
    // Nothing happens after the end, which is now.
    at = Math.min(at + gap, shape.end - (shape.changesPerItem - m) * 1000);
    events.push({
      type: 'WorkItemStatusChanged',
      data: {
        connectionId: shape.connectionId,
        issueId,
        changelogId: `${issueId}-${m}`,
        changedAt: new Date(at).toISOString(),
        fromStatusId: status[0],
        fromStatusName: status[1],
        fromCategory: status[2],
        toStatusId: to[0],
        toStatusName: to[1],
        toCategory: to[2],
      },
    });
    status = to;
  }

  events.push({
    type: 'WorkItemObserved',
    data: {
      connectionId: shape.connectionId,
      issueId,
      key,
      summary: `Work item ${key} with a summary of some length`,
      projectId: String(10_000 + project),
      projectKey: projects[project]!,
      projectName: `Project ${projects[project]}`,
      projectIndex: shape.projectIndexes[project]!,
      issueTypeId: String(n % issueTypes.length),
      issueTypeName: issueTypes[n % issueTypes.length]!,
      issueTypeIndex: shape.issueTypeIndexes[n % issueTypes.length]!,
      statusId: status[0],
      statusName: status[1],
      statusCategory: status[2],
      priority: 'Medium',
      assignee: {
        accountId: `account-${n % 50}`,
        displayName: `Person ${n % 50}`,
      },
      parentKey: null,
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(at).toISOString(),
      resolvedAt: status[2] === 'done' ? new Date(at).toISOString() : null,
    },
  });

  return { stream: `work-item-${shape.connectionId}-${issueId}`, events };
}

import type { Decider } from '../decider.js';
import { unreachable } from '../decider.js';
import type {
  StatusChange,
  WorkItemEvent,
  WorkItemObservation,
} from './work-item-events.js';

/**
 * Sync and webhooks report the same facts, often more than once and out
 * of order. A fact already recorded is never recorded again, and an older
 * observation never replaces a newer one.
 */
export type WorkItemCommand =
  | {
      type: 'RecordIssue';
      /** A report without a creation time takes the one known. */
      observation: Omit<WorkItemObservation, 'createdAt'> & {
        createdAt: string | undefined;
      };
      statusChanges: StatusChange[];
    }
  | {
      type: 'RecordDeletion';
      connectionId: string;
      issueId: string;
      deletedAt: string;
    };

export interface WorkItemState {
  deleted: boolean;
  /** The `updatedAt` of the newest observation recorded. */
  updatedAt: string | undefined;
  createdAt: string | undefined;
  changelogIds: ReadonlySet<string>;
}

export const workItemDecider: Decider<
  WorkItemState,
  WorkItemCommand,
  WorkItemEvent
> = {
  initialState: () => ({
    deleted: false,
    updatedAt: undefined,
    createdAt: undefined,
    changelogIds: new Set(),
  }),
  evolve,
  decide,
};

function decide(
  command: WorkItemCommand,
  state: WorkItemState,
): WorkItemEvent[] {
  switch (command.type) {
    case 'RecordIssue':
      return recordIssue(command.observation, command.statusChanges, state);
    case 'RecordDeletion':
      return recordDeletion(command, state);
    default:
      return unreachable(command);
  }
}

/**
 * The observation comes first, so an item is known before its
 * transitions are. One that cannot say when the item was created, of an
 * item never seen before, is left out: a guessed time would skew lead
 * times. A deleted item stays deleted: a late delivery does not revive
 * it.
 */
function recordIssue(
  report: Extract<WorkItemCommand, { type: 'RecordIssue' }>['observation'],
  statusChanges: StatusChange[],
  state: WorkItemState,
): WorkItemEvent[] {
  if (state.deleted) return [];

  const createdAt = report.createdAt ?? state.createdAt;
  const events: WorkItemEvent[] =
    createdAt !== undefined && isNewer(report.updatedAt, state.updatedAt)
      ? [{ type: 'WorkItemObserved', data: { ...report, createdAt } }]
      : [];
  for (const data of newChanges(statusChanges, state)) {
    events.push({ type: 'WorkItemStatusChanged', data });
  }

  return events;
}

/** Unrecorded transitions, once each, in the order they happened. */
function newChanges(
  statusChanges: StatusChange[],
  state: WorkItemState,
): StatusChange[] {
  const fresh = new Map<string, StatusChange>();
  for (const change of statusChanges) {
    if (!state.changelogIds.has(change.changelogId)) {
      fresh.set(change.changelogId, change);
    }
  }

  return [...fresh.values()].sort(
    (a, b) =>
      Date.parse(a.changedAt) - Date.parse(b.changedAt) ||
      a.changelogId.localeCompare(b.changelogId),
  );
}

function recordDeletion(
  command: Extract<WorkItemCommand, { type: 'RecordDeletion' }>,
  state: WorkItemState,
): WorkItemEvent[] {
  if (state.deleted) return [];

  const { connectionId, issueId, deletedAt } = command;
  return [
    { type: 'WorkItemDeleted', data: { connectionId, issueId, deletedAt } },
  ];
}

function evolve(state: WorkItemState, event: WorkItemEvent): WorkItemState {
  switch (event.type) {
    case 'WorkItemObserved':
      return isNewer(event.data.updatedAt, state.updatedAt)
        ? {
            ...state,
            updatedAt: event.data.updatedAt,
            createdAt: event.data.createdAt,
          }
        : state;
    case 'WorkItemStatusChanged':
      return {
        ...state,
        changelogIds: new Set(state.changelogIds).add(event.data.changelogId),
      };
    case 'WorkItemDeleted':
      return { ...state, deleted: true };
    default:
      return unreachable(event);
  }
}

function isNewer(updatedAt: string, than: string | undefined): boolean {
  return than === undefined || Date.parse(updatedAt) > Date.parse(than);
}

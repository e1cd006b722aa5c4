import type { StatusCategory } from '../../src/domain/work-item/work-item-events.js';
import {
  workItemStreamName,
  workflowStreamName,
} from '../../src/domain/work-item/work-item-events.js';
import type { FixtureEvent } from './analytics-fixture.js';

export interface ItemFields {
  connectionId: string;
  issueId: string;
  key: string;
  projectIndex?: string;
  issueTypeIndex?: string;
  statusId: string;
  statusName: string;
  statusCategory: StatusCategory;
  createdAt: string;
  updatedAt: string;
}

/** A WorkItemObserved as a connector would record it. */
export function observedEvent(item: ItemFields): FixtureEvent {
  return {
    type: 'WorkItemObserved',
    data: {
      connectionId: item.connectionId,
      issueId: item.issueId,
      key: item.key,
      summary: `Summary of ${item.key}`,
      projectId: '10000',
      projectKey: item.key.split('-')[0]!,
      projectName: 'Test project',
      projectIndex: item.projectIndex ?? 'project-index',
      issueTypeId: '10001',
      issueTypeName: 'Task',
      issueTypeIndex: item.issueTypeIndex ?? 'issue-type-index',
      statusId: item.statusId,
      statusName: item.statusName,
      statusCategory: item.statusCategory,
      priority: null,
      assignee: null,
      parentKey: null,
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
      resolvedAt: null,
    },
  };
}

export interface ChangeFields {
  connectionId: string;
  issueId: string;
  changelogId: string;
  changedAt: string;
  from: [id: string, name: string, category: StatusCategory | null] | null;
  to: [id: string, name: string, category: StatusCategory | null];
}

/** A WorkItemStatusChanged, categories as the connector knew them. */
export function statusChangedEvent(change: ChangeFields): FixtureEvent {
  return {
    type: 'WorkItemStatusChanged',
    data: {
      connectionId: change.connectionId,
      issueId: change.issueId,
      changelogId: change.changelogId,
      changedAt: change.changedAt,
      fromStatusId: change.from?.[0] ?? null,
      fromStatusName: change.from?.[1] ?? null,
      fromCategory: change.from?.[2] ?? null,
      toStatusId: change.to[0],
      toStatusName: change.to[1],
      toCategory: change.to[2],
    },
  };
}

export function deletedEvent(
  connectionId: string,
  issueId: string,
  deletedAt: string,
): FixtureEvent {
  return {
    type: 'WorkItemDeleted',
    data: { connectionId, issueId, deletedAt },
  };
}

export function workflowEvent(
  connectionId: string,
  statuses: [id: string, name: string, category: StatusCategory][],
): FixtureEvent {
  return {
    type: 'WorkflowStatusesObserved',
    data: {
      connectionId,
      categories: Object.fromEntries(statuses.map(([id, , c]) => [id, c])),
      names: Object.fromEntries(statuses.map(([id, name]) => [id, name])),
    },
  };
}

export const itemStream = workItemStreamName;
export const workflowStream = workflowStreamName;

export type StatusOf = [id: string, name: string, category: StatusCategory];

export const statuses = {
  toDo: ['1', 'To Do', 'new'],
  doing: ['2', 'In Progress', 'indeterminate'],
  review: ['3', 'In Review', 'new'],
  done: ['4', 'Done', 'done'],
  wontDo: ['5', "Won't Do", 'done'],
} satisfies Record<string, StatusOf>;

/**
 * The events of one item as a sync records them: its transitions, hours
 * after its creation, then its observation; categories on every event.
 */
export function itemEvents(
  connectionId: string,
  issueId: string,
  created: string,
  moves: [hours: number, to: StatusOf][],
): FixtureEvent[] {
  const at = (hours: number) =>
    new Date(Date.parse(created) + hours * 3_600_000).toISOString();
  let from: StatusOf = statuses.toDo;
  const events = moves.map(([hours, to], i) => {
    const event = statusChangedEvent({
      connectionId,
      issueId,
      changelogId: `${issueId}-${i}`,
      changedAt: at(hours),
      from,
      to,
    });
    from = to;
    return event;
  });
  const last = moves[moves.length - 1];

  return [
    ...events,
    observedEvent({
      connectionId,
      issueId,
      key: `K-${issueId}`,
      statusId: from[0],
      statusName: from[1],
      statusCategory: from[2],
      createdAt: created,
      updatedAt: last ? at(last[0]) : created,
    }),
  ];
}

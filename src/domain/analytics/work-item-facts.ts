import type {
  StatusCategory,
  StatusChange,
  WorkItemObservation,
} from '../work-item/work-item-events.js';

/** What the newest observation of an item says, as analytics needs it. */
export type ObservedItem = {
  key: string;
  projectIndex: string;
  issueTypeIndex: string;
  statusId: string;
  statusName: string;
  statusCategory: StatusCategory;
  /** Milliseconds since the epoch, as all instants here. */
  createdAt: number;
  updatedAt: number;
};

/** One status transition of an item. */
export type Transition = {
  changelogId: string;
  at: number;
  fromId: string | null;
  fromName: string | null;
  fromCategory: StatusCategory | null;
  toId: string;
  toName: string;
  toCategory: StatusCategory | null;
};

/**
 * Everything recorded about one work item that its flow is derived from.
 * Transitions are kept in the order they happened, whatever order they
 * were recorded in.
 */
export type WorkItemFacts = {
  observed: ObservedItem | null;
  transitions: Transition[];
  deleted: boolean;
};

export const noFacts: WorkItemFacts = {
  observed: null,
  transitions: [],
  deleted: false,
};

/** A newer observation supersedes an older one; an older one is ignored. */
export function withObservation(
  facts: WorkItemFacts,
  observation: WorkItemObservation,
): WorkItemFacts {
  const updatedAt = Date.parse(observation.updatedAt);
  if (facts.observed && facts.observed.updatedAt > updatedAt) return facts;

  const observed: ObservedItem = {
    key: observation.key,
    projectIndex: observation.projectIndex,
    issueTypeIndex: observation.issueTypeIndex,
    statusId: observation.statusId,
    statusName: observation.statusName,
    statusCategory: observation.statusCategory,
    createdAt: Date.parse(observation.createdAt),
    updatedAt,
  };

  return { ...facts, observed };
}

/** Each changelog entry counts once, in its place by time. */
export function withTransition(
  facts: WorkItemFacts,
  change: StatusChange,
): WorkItemFacts {
  const known = facts.transitions.some(
    (t) => t.changelogId === change.changelogId,
  );
  if (known) return facts;

  const transition: Transition = {
    changelogId: change.changelogId,
    at: Date.parse(change.changedAt),
    fromId: change.fromStatusId,
    fromName: change.fromStatusName,
    fromCategory: change.fromCategory,
    toId: change.toStatusId,
    toName: change.toStatusName,
    toCategory: change.toCategory,
  };
  const transitions = [...facts.transitions, transition].sort(
    (a, b) =>
      a.at - b.at ||
      (a.changelogId < b.changelogId
        ? -1
        : a.changelogId > b.changelogId
          ? 1
          : 0),
  );

  return { ...facts, transitions };
}

export function withDeletion(facts: WorkItemFacts): WorkItemFacts {
  return facts.deleted ? facts : { ...facts, deleted: true };
}

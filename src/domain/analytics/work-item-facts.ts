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
  // Usually it comes last; a late one goes back to its place.
  const transitions = [...facts.transitions, transition];
  for (let i = transitions.length - 1; i > 0; i--) {
    if (!happenedBefore(transition, transitions[i - 1]!)) break;
    transitions[i] = transitions[i - 1]!;
    transitions[i - 1] = transition;
  }

  return { ...facts, transitions };
}

/** Time order; the changelog id settles transitions of the same instant. */
function happenedBefore(a: Transition, b: Transition): boolean {
  return a.at < b.at || (a.at === b.at && a.changelogId < b.changelogId);
}

export function withDeletion(facts: WorkItemFacts): WorkItemFacts {
  return facts.deleted ? facts : { ...facts, deleted: true };
}

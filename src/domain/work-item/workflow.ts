import type { Decider } from '../decider.js';
import { unreachable } from '../decider.js';
import type { StatusCategory, WorkflowEvent } from './work-item-events.js';

export interface WorkflowStatus {
  id: string;
  name: string;
  category: StatusCategory;
}

export type WorkflowCommand = {
  type: 'RecordStatuses';
  connectionId: string;
  statuses: WorkflowStatus[];
};

/** The statuses as last recorded, by id. */
export type WorkflowState = ReadonlyMap<string, WorkflowStatus>;

/**
 * The statuses of a connection's workflows. Each sync reads them; only a
 * change is recorded, so an unchanged workflow adds nothing.
 */
export const workflowDecider: Decider<
  WorkflowState,
  WorkflowCommand,
  WorkflowEvent
> = {
  initialState: () => new Map(),
  evolve: (_state, event) => statusesOf(event),
  decide,
};

function decide(
  command: WorkflowCommand,
  state: WorkflowState,
): WorkflowEvent[] {
  switch (command.type) {
    case 'RecordStatuses':
      return record(command, state);
    default:
      return unreachable(command.type);
  }
}

function record(
  { connectionId, statuses }: WorkflowCommand,
  state: WorkflowState,
): WorkflowEvent[] {
  const sorted = [...statuses].sort((a, b) => a.id.localeCompare(b.id));
  const unchanged =
    sorted.length === state.size &&
    sorted.every((status) => sameStatus(state.get(status.id), status));
  if (unchanged) return [];

  return [
    {
      type: 'WorkflowStatusesObserved',
      data: {
        connectionId,
        categories: Object.fromEntries(sorted.map((s) => [s.id, s.category])),
        names: Object.fromEntries(sorted.map((s) => [s.id, s.name])),
      },
    },
  ];
}

function statusesOf(event: WorkflowEvent): WorkflowState {
  const { categories, names } = event.data;

  return new Map(
    Object.entries(categories).map(([id, category]) => [
      id,
      { id, name: names[id] ?? '', category },
    ]),
  );
}

function sameStatus(
  known: WorkflowStatus | undefined,
  status: WorkflowStatus,
): boolean {
  return known?.name === status.name && known.category === status.category;
}

import { workflowDecider } from '../../../src/domain/work-item/workflow.js';
import type { WorkflowStatus } from '../../../src/domain/work-item/workflow.js';
import type { WorkflowEvent } from '../../../src/domain/work-item/work-item-events.js';
import { deciderSpecification } from '../../support/decider-specification.js';

const spec = deciderSpecification(workflowDecider);

const statuses: WorkflowStatus[] = [
  { id: '3', name: 'In Progress', category: 'indeterminate' },
  { id: '1', name: 'To Do', category: 'new' },
];

const observed: WorkflowEvent = {
  type: 'WorkflowStatusesObserved',
  data: {
    connectionId: 'c-1',
    categories: { '1': 'new', '3': 'indeterminate' },
    names: { '1': 'To Do', '3': 'In Progress' },
  },
};

const record = (list = statuses) => ({
  type: 'RecordStatuses' as const,
  connectionId: 'c-1',
  statuses: list,
});

describe('workflow decider', function () {
  it('records the statuses of a workflow the first time', function () {
    spec.given([]).when(record()).then([observed]);
  });

  it('records nothing while they stay the same, in any order', function () {
    spec
      .given([observed])
      .when(record([...statuses].reverse()))
      .then([]);
  });

  it('records them again when a category or a name changes', function () {
    const moved: WorkflowStatus[] = [
      { ...statuses[0]!, category: 'done' },
      statuses[1]!,
    ];

    spec
      .given([observed])
      .when(record(moved))
      .then([
        {
          type: 'WorkflowStatusesObserved',
          data: { ...observed.data, categories: { '1': 'new', '3': 'done' } },
        },
      ]);
  });
});

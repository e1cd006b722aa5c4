import { workItemDecider } from '../../../src/domain/work-item/work-item.js';
import type {
  StatusChange,
  WorkItemEvent,
  WorkItemObservation,
} from '../../../src/domain/work-item/work-item-events.js';
import { deciderSpecification } from '../../support/decider-specification.js';

const spec = deciderSpecification(workItemDecider);

const observation: WorkItemObservation = {
  connectionId: 'c-1',
  issueId: '10001',
  key: 'TES-41',
  summary: 'Unit test summary',
  projectId: '10000',
  projectKey: 'TES',
  projectName: 'test1',
  projectIndex: 'p-index',
  issueTypeId: '10001',
  issueTypeName: 'Story',
  issueTypeIndex: 't-index',
  statusId: '3',
  statusName: 'In Progress',
  statusCategory: 'indeterminate',
  priority: 'High',
  assignee: null,
  parentKey: null,
  createdAt: '2019-02-16T03:01:52.971Z',
  updatedAt: '2019-02-16T03:14:22.002Z',
  resolvedAt: null,
};

const started: StatusChange = {
  connectionId: 'c-1',
  issueId: '10001',
  changelogId: '10227',
  changedAt: '2019-02-16T03:14:22.002Z',
  fromStatusId: '10001',
  fromStatusName: 'To Do',
  fromCategory: 'new',
  toStatusId: '3',
  toStatusName: 'In Progress',
  toCategory: 'indeterminate',
};

const finished: StatusChange = {
  ...started,
  changelogId: '10228',
  changedAt: '2019-02-16T03:15:40.477Z',
  fromStatusId: '3',
  fromStatusName: 'In Progress',
  fromCategory: 'indeterminate',
  toStatusId: '10002',
  toStatusName: 'Done',
  toCategory: 'done',
};

const observed = (data = observation): WorkItemEvent => ({
  type: 'WorkItemObserved',
  data,
});
const changed = (data: StatusChange): WorkItemEvent => ({
  type: 'WorkItemStatusChanged',
  data,
});
const record = (
  report: Partial<WorkItemObservation> & { createdAt?: string | undefined },
  statusChanges: StatusChange[] = [],
) => ({
  type: 'RecordIssue' as const,
  observation: { ...observation, ...report },
  statusChanges,
});

describe('work item decider', function () {
  it('records the first observation, then its transitions in time order', function () {
    spec
      .given([])
      .when(record({}, [finished, started]))
      .then([observed(), changed(started), changed(finished)]);
  });

  it('records nothing when the same look at the item comes again', function () {
    spec
      .given([observed(), changed(started)])
      .when(record({}, [started]))
      .then([]);
  });

  it('records only the transitions it has not seen', function () {
    const later = { ...observation, updatedAt: finished.changedAt };

    spec
      .given([observed(), changed(started)])
      .when(record(later, [started, finished]))
      .then([observed(later), changed(finished)]);
  });

  it('never lets an older observation replace a newer one', function () {
    const newer = { ...observation, updatedAt: '2019-02-16T04:00:00.000Z' };

    spec
      .given([observed(newer)])
      .when(record({ statusName: 'To Do' }, [started]))
      .then([changed(started)]);
  });

  it('completes a report without a creation time from the item', function () {
    const later = { updatedAt: '2019-02-16T05:00:00.000Z' };

    spec
      .given([observed()])
      .when(record({ ...later, createdAt: undefined }))
      .then([observed({ ...observation, ...later })]);
  });

  it('leaves out an observation of a new item that lacks its creation time', function () {
    spec
      .given([])
      .when(record({ createdAt: undefined }, [started]))
      .then([changed(started)]);
  });

  it('records a deletion once, and nothing after it', function () {
    const deletion = {
      type: 'RecordDeletion' as const,
      connectionId: 'c-1',
      issueId: '10001',
      deletedAt: '2019-07-03T18:04:43.020Z',
    };
    const deleted: WorkItemEvent = {
      type: 'WorkItemDeleted',
      data: {
        connectionId: 'c-1',
        issueId: '10001',
        deletedAt: deletion.deletedAt,
      },
    };
    const later = { updatedAt: '2019-08-01T00:00:00.000Z' };

    spec.given([observed()]).when(deletion).then([deleted]);
    spec.given([observed(), deleted]).when(deletion).then([]);
    spec
      .given([observed(), deleted])
      .when(record(later, [finished]))
      .then([]);
  });
});

import { expect } from 'chai';

import { flowTimings } from '../../../src/domain/analytics/flow-timings.js';
import {
  nearestRank,
  mean,
} from '../../../src/domain/analytics/percentiles.js';
import { stageResolver } from '../../../src/domain/analytics/stage-resolution.js';
import type { StatusRule } from '../../../src/domain/analytics/status-mapping-events.js';
import {
  noFacts,
  withDeletion,
  withObservation,
  withTransition,
} from '../../../src/domain/analytics/work-item-facts.js';
import type { WorkItemFacts } from '../../../src/domain/analytics/work-item-facts.js';
import type { StatusCategory } from '../../../src/domain/work-item/work-item-events.js';

type Status = [id: string, name: string, category: StatusCategory | null];

const toDo: Status = ['1', 'To Do', 'new'];
const doing: Status = ['2', 'In Progress', 'indeterminate'];
const review: Status = ['3', 'In Review', 'new'];
const done: Status = ['4', 'Done', 'done'];
const closed: Status = ['5', 'Closed', 'done'];
const hour = 3_600_000;
const created = Date.UTC(2024, 0, 1);

function item(
  ...moves: [at: number, from: Status, to: Status][]
): WorkItemFacts {
  let facts = withObservation(noFacts, {
    connectionId: 'c',
    issueId: '1',
    key: 'K-1',
    summary: '',
    projectId: 'p',
    projectKey: 'K',
    projectName: '',
    projectIndex: 'pi',
    issueTypeId: 't',
    issueTypeName: '',
    issueTypeIndex: 'ti',
    statusId: moves.at(-1)?.[2][0] ?? toDo[0],
    statusName: moves.at(-1)?.[2][1] ?? toDo[1],
    statusCategory: moves.at(-1)?.[2][2] ?? 'new',
    priority: null,
    assignee: null,
    parentKey: null,
    createdAt: new Date(created).toISOString(),
    updatedAt: new Date(created + 100 * hour).toISOString(),
    resolvedAt: null,
  });
  moves.forEach(([at, from, to], i) => {
    facts = withTransition(facts, {
      connectionId: 'c',
      issueId: '1',
      changelogId: String(100 + i),
      changedAt: new Date(created + at * hour).toISOString(),
      fromStatusId: from[0],
      fromStatusName: from[1],
      fromCategory: from[2],
      toStatusId: to[0],
      toStatusName: to[1],
      toCategory: to[2],
    });
  });

  return facts;
}

const jira = stageResolver([], () => undefined);
const at = (hours: number) => created + hours * hour;

describe('flow timings', function () {
  it('starts at the first entry into progress and finishes at the last entry into done', function () {
    const timings = flowTimings(
      item(
        [2, toDo, doing],
        [5, doing, done],
        [6, done, toDo],
        [8, toDo, doing],
        [9, doing, done],
      ),
      jira,
    )!;

    expect(timings.startedAt).to.equal(at(2));
    expect(timings.finishedAt).to.equal(at(9));
  });

  it('clears the finish of a reopened item', function () {
    const timings = flowTimings(
      item([2, toDo, doing], [5, doing, done], [6, done, toDo]),
      jira,
    )!;

    expect(timings.startedAt).to.equal(at(2));
    expect(timings.finishedAt).to.equal(null);
    expect(timings.current.stage).to.equal('todo');
  });

  it('gives an item that skipped progress a finish but no start', function () {
    const timings = flowTimings(item([3, toDo, done]), jira)!;

    expect(timings.startedAt).to.equal(null);
    expect(timings.finishedAt).to.equal(at(3));
  });

  it('finishes when done is entered, not at a move from done to done', function () {
    const timings = flowTimings(
      item([1, toDo, doing], [4, doing, done], [7, done, closed]),
      jira,
    )!;

    expect(timings.finishedAt).to.equal(at(4));
    expect(timings.statusTimes).to.deep.equal([
      { status: 'To Do', stage: 'todo', ms: 1 * hour },
      { status: 'In Progress', stage: 'in_progress', ms: 3 * hour },
    ]);
  });

  it('adds up the visits to a status, until the finish', function () {
    const timings = flowTimings(
      item(
        [1, toDo, doing],
        [2, doing, review],
        [4, review, doing],
        [7, doing, done],
      ),
      jira,
    )!;

    expect(timings.statusTimes).to.deep.equal([
      { status: 'To Do', stage: 'todo', ms: 1 * hour },
      { status: 'In Progress', stage: 'in_progress', ms: 4 * hour },
      { status: 'In Review', stage: 'todo', ms: 2 * hour },
    ]);
  });

  it('orders transitions by when they happened, not when they came', function () {
    const late = withTransition(item([5, doing, done]), {
      connectionId: 'c',
      issueId: '1',
      changelogId: '99',
      changedAt: new Date(at(2)).toISOString(),
      fromStatusId: toDo[0],
      fromStatusName: toDo[1],
      fromCategory: toDo[2],
      toStatusId: doing[0],
      toStatusName: doing[1],
      toCategory: doing[2],
    });

    const timings = flowTimings(late, jira)!;
    expect(timings.startedAt).to.equal(at(2));
    expect(timings.stageMarks.map((m) => m.stage)).to.deep.equal([
      'todo',
      'in_progress',
      'done',
    ]);
  });

  it('follows the mapping by name, without regard to case, over the category', function () {
    const rules: StatusRule[] = [
      {
        status: 'in review',
        stage: 'in_progress',
        excludeFromThroughput: false,
      },
      { status: 'CLOSED', stage: 'done', excludeFromThroughput: true },
    ];
    const timings = flowTimings(
      item([1, toDo, review], [3, review, done], [4, done, closed]),
      stageResolver(rules, () => undefined),
    )!;

    expect(timings.startedAt).to.equal(at(1));
    expect(timings.excludedFromThroughput).to.equal(true);
  });

  it('takes a stage the event does not carry from the connection, else to do', function () {
    const unknown: Status = ['9', 'Triage', null];
    const facts = item([1, toDo, unknown], [2, unknown, done]);

    const known = flowTimings(
      facts,
      stageResolver([], (id) => (id === '9' ? 'indeterminate' : undefined)),
    )!;
    const unknownToAll = flowTimings(facts, jira)!;

    expect(known.startedAt).to.equal(at(1));
    expect(known.fallbackStatusIds).to.deep.equal(['9']);
    expect(unknownToAll.startedAt).to.equal(null);
  });

  it('counts nothing for an item never observed, or deleted', function () {
    expect(flowTimings(noFacts, jira)).to.equal(null);
    expect(flowTimings(withDeletion(item([1, toDo, doing])), jira)).to.equal(
      null,
    );
  });

  it('counts a transition stamped before the creation from the creation', function () {
    const timings = flowTimings(item([-5, toDo, doing]), jira)!;

    expect(timings.startedAt).to.equal(created);
  });
});

describe('nearest-rank percentiles', function () {
  it('take the value at rank ceil(p × n)', function () {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    expect(nearestRank(values, 50)).to.equal(5);
    expect(nearestRank(values, 75)).to.equal(8);
    expect(nearestRank(values, 85)).to.equal(9);
    expect(nearestRank(values, 95)).to.equal(10);
    expect(nearestRank([7], 50)).to.equal(7);
    expect(nearestRank([], 50)).to.equal(null);
    expect(mean([1, 2, 6])).to.equal(3);
    expect(mean([])).to.equal(null);
  });

  it('stays exact where p × n lands on a whole number', function () {
    // 0.85 × 20 is 17 exactly: rank 17, not 18.
    const values = Array.from({ length: 20 }, (_, i) => i + 1);

    expect(nearestRank(values, 85)).to.equal(17);
  });
});

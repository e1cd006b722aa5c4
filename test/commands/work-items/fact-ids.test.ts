import { expect } from 'chai';

import { workItemFactId } from '../../../src/commands/work-items/fact-ids.js';
import type { WorkItemEvent } from '../../../src/domain/work-item/work-item-events.js';

const change = (changelogId: string, changedAt: string): WorkItemEvent => ({
  type: 'WorkItemStatusChanged',
  data: {
    connectionId: 'c-1',
    issueId: '1',
    changelogId,
    changedAt,
    fromStatusId: '1',
    fromStatusName: 'To Do',
    fromCategory: 'new',
    toStatusId: '3',
    toStatusName: 'In Progress',
    toCategory: null,
  },
});

const uuidV8 =
  /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('work-item fact ids', function () {
  it('names the same fact alike, whichever source reports it', function () {
    const fromSync = change('10228', '2019-02-16T03:15:40.477Z');
    const fromWebhook = change('10228', '2019-02-16T03:15:40.500Z');

    expect(workItemFactId(fromSync, 'work-item-c-1-1')).to.equal(
      workItemFactId(fromWebhook, 'work-item-c-1-1'),
    );
  });

  it('names different facts and different items differently', function () {
    const one = change('10228', '2019-02-16T03:15:40.477Z');
    const other = change('10229', '2019-02-16T03:15:40.477Z');

    expect(workItemFactId(one, 'work-item-c-1-1')).to.not.equal(
      workItemFactId(other, 'work-item-c-1-1'),
    );
    expect(workItemFactId(one, 'work-item-c-1-1')).to.not.equal(
      workItemFactId(one, 'work-item-c-1-2'),
    );
  });

  it('is a version 8 UUID, as the event stores require a UUID', function () {
    const id = workItemFactId(
      change('10228', '2019-02-16T03:15:40.477Z'),
      'work-item-c-1-1',
    );

    expect(id).to.match(uuidV8);
  });
});

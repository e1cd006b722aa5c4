import { expect } from 'chai';

import { parseCivilDay } from '../../../src/domain/analytics/civil-day.js';
import type { ScopeFilter } from '../../../src/projections/analytics/analytics-documents.js';
import { analyticsFixture } from '../../support/analytics-fixture.js';
import type { AnalyticsFixture } from '../../support/analytics-fixture.js';
import {
  itemStream,
  observedEvent,
  statusChangedEvent,
} from '../../support/work-item-events.js';

const connectionId = 'jira-1';
const all: ScopeFilter = {};
const dayMs = 86_400_000;

function range(from: string, to: string) {
  return { from: parseCivilDay(from)!, to: parseCivilDay(to)! };
}

/**
 * TES-41 (Jira Cloud) and TES-4 (Jira Server) as their captured webhooks
 * record them, with the Jira timestamps converted to UTC. Transitions
 * carry the category of the status they reach, as the issue in the
 * payload shows it, and none for the status they leave.
 */
describe('analytics of the captured Jira histories', function () {
  let f: AnalyticsFixture;
  let tenantId: string;

  before(async function () {
    f = await analyticsFixture();
    tenantId = await f.tenant();
    const item =
      (issueId: string, key: string, created: string) =>
      (
        status: [string, string, 'new' | 'indeterminate' | 'done'],
        at: string,
      ) =>
        observedEvent({
          connectionId,
          issueId,
          key,
          statusId: status[0],
          statusName: status[1],
          statusCategory: status[2],
          createdAt: created,
          updatedAt: at,
        });
    const change = (
      issueId: string,
      changelogId: string,
      changedAt: string,
      from: [string, string],
      to: [string, string, 'new' | 'indeterminate' | 'done'],
    ) =>
      statusChangedEvent({
        connectionId,
        issueId,
        changelogId,
        changedAt,
        from: [...from, null],
        to,
      });

    const tes41 = item('10041', 'TES-41', '2019-02-16T03:01:52.971Z');
    const toDo = ['10001', 'To Do', 'new'] as const;
    const inProgress41 = ['3', 'In Progress', 'indeterminate'] as const;
    const done41 = ['10002', 'Done', 'done'] as const;
    const stream41 = itemStream(connectionId, '10041');
    await f.append(tenantId, stream41, [
      tes41([...toDo], '2019-02-16T03:01:52.971Z'),
    ]);
    await f.append(tenantId, stream41, [
      change(
        '10041',
        '10227',
        '2019-02-16T03:14:22.002Z',
        ['10001', 'To Do'],
        [...inProgress41],
      ),
      tes41([...inProgress41], '2019-02-16T03:14:22.002Z'),
    ]);
    await f.append(tenantId, stream41, [
      change(
        '10041',
        '10228',
        '2019-02-16T03:15:40.477Z',
        ['3', 'In Progress'],
        [...done41],
      ),
      tes41([...done41], '2019-02-16T03:15:40.477Z'),
    ]);
    await f.append(tenantId, stream41, [
      change(
        '10041',
        '10229',
        '2019-02-16T03:17:06.501Z',
        ['10002', 'Done'],
        [...toDo],
      ),
      tes41([...toDo], '2019-02-16T03:17:06.501Z'),
    ]);

    const tes4 = item('10004', 'TES-4', '2019-08-12T22:14:23.580Z');
    const stream4 = itemStream(connectionId, '10004');
    const resolved = ['5', 'Resolved', 'done'] as const;
    const reopened = ['4', 'Reopened', 'new'] as const;
    const inProgress = ['3', 'In Progress', 'indeterminate'] as const;
    const closed = ['6', 'Closed', 'done'] as const;
    await f.append(tenantId, stream4, [
      change(
        '10004',
        '10414',
        '2019-08-12T23:23:01.993Z',
        ['3', 'In Progress'],
        [...resolved],
      ),
      tes4([...resolved], '2019-08-12T23:23:01.993Z'),
    ]);
    await f.append(tenantId, stream4, [
      change(
        '10004',
        '10507',
        '2019-08-14T03:01:43.647Z',
        ['5', 'Resolved'],
        [...reopened],
      ),
      tes4([...reopened], '2019-08-14T03:01:43.647Z'),
    ]);
    await f.append(tenantId, stream4, [
      change(
        '10004',
        '10508',
        '2019-08-14T03:02:33.678Z',
        ['4', 'Reopened'],
        [...inProgress],
      ),
      tes4([...inProgress], '2019-08-14T03:02:33.678Z'),
    ]);
    await f.append(tenantId, stream4, [
      change(
        '10004',
        '10511',
        '2019-08-14T03:07:58.354Z',
        ['5', 'Resolved'],
        [...closed],
      ),
      tes4([...closed], '2019-08-14T03:07:58.354Z'),
    ]);
    await f.settled();
  });

  after(async function () {
    await f.dispose();
  });

  it('gives TES-41, reopened after it was done, no cycle or lead time', async function () {
    const view = await f.queries.view(tenantId);
    const february = range('2019-02-01', '2019-02-28');

    const cycle = await f.queries.cycleTime(view, all, february);
    const lead = await f.queries.leadTime(view, all, february);
    const cfd = await f.queries.cfd(
      view,
      all,
      range('2019-02-16', '2019-02-16'),
      'day',
    );

    expect(cycle.count).to.equal(0);
    expect(lead.count).to.equal(0);
    expect(cfd).to.deep.equal([
      { start: '2019-02-16', todo: 1, in_progress: 0, done: 0 },
    ]);
  });

  it('starts TES-4 at its creation, in the status its first transition left', async function () {
    const view = await f.queries.view(tenantId);
    const august = range('2019-08-01', '2019-08-31');
    // 2019-08-12T22:14:23.580Z to 2019-08-14T03:07:58.354Z.
    const expected = 104_014_774 / dayMs;

    const cycle = await f.queries.cycleTime(view, all, august);
    const lead = await f.queries.leadTime(view, all, august);

    expect(cycle).to.include({ count: 1, p50: expected, p95: expected });
    expect(cycle.points).to.deep.equal([
      { key: 'TES-4', finishedAt: '2019-08-14T03:07:58.354Z', days: expected },
    ]);
    expect(lead).to.include({ count: 1, mean: expected });
  });

  it('adds up the time TES-4 spent in each status until it finished', async function () {
    const view = await f.queries.view(tenantId);
    const statuses = await f.queries.timeInStatus(
      view,
      all,
      range('2019-08-14', '2019-08-14'),
    );

    expect(
      statuses.map(({ status, stage, items, meanDays }) => ({
        status,
        stage,
        items,
        seconds: Math.round(meanDays! * 86_400_000) / 1000,
      })),
    ).to.deep.equal([
      { status: 'Reopened', stage: 'todo', items: 1, seconds: 50.031 },
      {
        status: 'In Progress',
        stage: 'in_progress',
        items: 1,
        seconds: 4443.089,
      },
      { status: 'Resolved', stage: 'done', items: 1, seconds: 99_521.654 },
    ]);
  });
});

import { expect } from 'chai';

import { parseCivilDay } from '../../../src/domain/analytics/civil-day.js';
import { analyticsCollections } from '../../../src/projections/analytics/analytics-documents.js';
import { analyticsFixture } from '../../support/analytics-fixture.js';
import type { AnalyticsFixture } from '../../support/analytics-fixture.js';
import {
  itemEvents,
  itemStream,
  observedEvent,
  statusChangedEvent,
  statuses,
  workflowEvent,
  workflowStream,
} from '../../support/work-item-events.js';
import type { StatusOf } from '../../support/work-item-events.js';

const { toDo, doing, review, done } = statuses;
const range = {
  from: parseCivilDay('2024-05-01')!,
  to: parseCivilDay('2024-05-31')!,
};
const all = {};

/** Every analytics document of the read store, as stored. */
async function documents(f: AnalyticsFixture) {
  const found: Record<string, unknown[]> = {};
  for (const name of analyticsCollections) {
    found[name] = (
      await f.rawReadStore.collection(name).find({}, { sort: [['_id', 1]] })
    ).items;
  }

  return found;
}

async function answers(f: AnalyticsFixture, tenantId: string) {
  const view = await f.queries.view(tenantId);

  return {
    cycle: await f.queries.cycleTime(view, all, range),
    lead: await f.queries.leadTime(view, all, range),
    cfd: await f.queries.cfd(view, all, range, 'day'),
    statuses: await f.queries.timeInStatus(view, all, range),
    throughput: await f.queries.throughput(view, all, range, 'week'),
  };
}

describe('the analytics projection', function () {
  let f: AnalyticsFixture;

  beforeEach(async function () {
    f = await analyticsFixture({ pointsLimit: 2 });
  });

  afterEach(async function () {
    await f.dispose();
  });

  async function someItems(tenantId: string) {
    const moves: [number, StatusOf][][] = [
      [
        [2, doing],
        [30, review],
        [40, done],
      ],
      [[5, done]],
      [
        [1, doing],
        [3, done],
        [9, toDo],
        [20, doing],
        [50, done],
      ],
      [[4, doing]],
    ];
    for (const [i, itemMoves] of moves.entries()) {
      const issueId = String(i + 1);
      await f.append(
        tenantId,
        itemStream('jira', issueId),
        itemEvents(
          'jira',
          issueId,
          `2024-05-0${i + 1}T10:00:00.000Z`,
          itemMoves,
        ),
      );
    }
  }

  it('writes nothing more when a batch is delivered again', async function () {
    const tenantId = await f.tenant();
    await someItems(tenantId);
    await f.settled();
    const before = await documents(f);

    const again = await f.analytics.openBatch(f.readStore);
    for await (const recorded of f.eventStore.readAll()) {
      if (f.analytics.types.has(recorded.type)) await again.apply(recorded);
    }
    await again.finish();

    expect(await documents(f)).to.deep.equal(before);
    expect(before['analytics_items']).to.have.length(4);
  });

  it('gives the same numbers whatever order transitions come in', async function () {
    const inOrder = await f.tenant();
    const late = await f.tenant();
    await someItems(inOrder);
    const events = itemEvents('jira', '9', '2024-05-02T08:00:00.000Z', [
      [1, doing],
      [6, review],
      [8, doing],
      [30, done],
    ]);
    await f.append(inOrder, itemStream('jira', '9'), events);
    await someItems(late);
    const observation = events[events.length - 1]!;
    for (const change of events.slice(0, -1).reverse()) {
      await f.append(late, itemStream('jira', '9'), [change]);
    }
    await f.append(late, itemStream('jira', '9'), [observation]);
    await f.settled();

    expect(await answers(f, late)).to.deep.equal(await answers(f, inOrder));
  });

  it('gives an item its stages once the workflow says what a status is', async function () {
    const tenantId = await f.tenant();
    const triage = ['77', 'Triage', null] as const;
    await f.append(tenantId, itemStream('jira', '1'), [
      statusChangedEvent({
        connectionId: 'jira',
        issueId: '1',
        changelogId: '1',
        changedAt: '2024-05-02T10:00:00.000Z',
        from: [...toDo],
        to: [...triage],
      }),
      statusChangedEvent({
        connectionId: 'jira',
        issueId: '1',
        changelogId: '2',
        changedAt: '2024-05-03T10:00:00.000Z',
        from: [...triage],
        to: [...done],
      }),
      observedEvent({
        connectionId: 'jira',
        issueId: '1',
        key: 'K-1',
        statusId: done[0],
        statusName: done[1],
        statusCategory: done[2],
        createdAt: '2024-05-01T10:00:00.000Z',
        updatedAt: '2024-05-03T10:00:00.000Z',
      }),
    ]);
    await f.settled();
    const view = await f.queries.view(tenantId);
    expect((await f.queries.cycleTime(view, all, range)).count).to.equal(0);

    await f.append(tenantId, workflowStream('jira'), [
      workflowEvent('jira', [
        ['1', 'To Do', 'new'],
        ['77', 'Triage', 'indeterminate'],
        ['4', 'Done', 'done'],
      ]),
    ]);
    await f.settled();

    const now = await f.queries.view(tenantId);
    const cycle = await f.queries.cycleTime(now, all, range);
    expect(cycle).to.include({ count: 1, p50: 1 });
  });

  it('keeps the latest finished items as points, and says when it left some out', async function () {
    const tenantId = await f.tenant();
    await someItems(tenantId);
    await f.settled();
    const view = await f.queries.view(tenantId);

    const lead = await f.queries.leadTime(view, all, range);

    expect(lead.count).to.equal(3);
    expect(lead.points.map((p) => p.key)).to.deep.equal(['K-1', 'K-3']);
    expect(lead.pointsTruncated).to.equal(true);
  });

  it('forgets the analytics of a deleted tenant, and only its', async function () {
    const gone = await f.tenant();
    const kept = await f.tenant();
    await someItems(gone);
    await someItems(kept);
    await f.append(gone, `tenant-${gone}`, [
      {
        type: 'TenantDeleted',
        data: { tenantId: gone, deletedAt: '2024-06-01T00:00:00.000Z' },
      },
    ]);
    await f.settled();

    const left = Object.values(await documents(f)).flat() as {
      tenantId: string;
    }[];
    expect(left.filter((doc) => doc.tenantId === gone)).to.deep.equal([]);
    expect(left.filter((doc) => doc.tenantId === kept)).to.have.length.above(5);
  });
});

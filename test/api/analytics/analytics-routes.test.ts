import { expect } from 'chai';

import { scanFolder } from '../../support/canary-scan.js';
import { analyticsApi } from '../../support/analytics-api.js';
import type { AnalyticsApi } from '../../support/analytics-api.js';
import {
  itemEvents,
  itemStream,
  observedEvent,
  statuses,
} from '../../support/work-item-events.js';

const now = new Date('2024-06-15T12:00:00.000Z');
const { doing, done } = statuses;

describe('the analytics routes', function () {
  this.timeout(30_000);

  let api: AnalyticsApi;
  let alice: string;
  let bob: string;
  let gina: string;

  const get = (path: string, token = alice) =>
    api.call('GET', `/v1/analytics/${path}`, { token });

  before(async function () {
    api = await analyticsApi({ now: () => now });
    alice = await api.login('acme', 'alice');
    gina = await api.login('globex', 'gina');
    const created = await api.call('POST', '/v1/users', {
      token: alice,
      body: {
        username: 'bob',
        password: 'bob likes long passwords',
        role: 'analyst',
      },
    });
    expect(created.status).to.equal(201);
    bob = await api.login('acme', 'bob', 'bob likes long passwords');

    for (let n = 1; n <= 3; n++) {
      await api.append(
        api.acme.tenantId,
        itemStream('jira-acme', String(n)),
        itemEvents('jira-acme', String(n), `2024-06-0${n}T09:00:00.000Z`, [
          [2, doing],
          [30 * n, done],
        ]),
      );
    }
    await api.settled();
  });

  after(async function () {
    await api.dispose();
  });

  it('answers any role of the tenant, over the last 90 days by default', async function () {
    const answer = await get('cycle-time', bob);

    expect(answer.status).to.equal(200);
    expect(answer.body).to.include({
      from: '2024-03-18',
      to: '2024-06-15',
      timeZone: 'UTC',
      count: 3,
    });
  });

  it('answers an empty range with a count of 0 and empty series', async function () {
    const range = 'from=2020-01-01&to=2020-03-31';
    const cycle = await get(`cycle-time?${range}`);
    const throughput = await get(`throughput?${range}&interval=week`);
    const statusTimes = await get(`time-in-status?${range}`);

    expect(cycle.body).to.include({ count: 0, mean: null, p50: null });
    expect(cycle.body.points).to.deep.equal([]);
    expect(throughput.body.series).to.deep.equal([]);
    expect(statusTimes.body.statuses).to.deep.equal([]);
  });

  it('refuses a bad date, an unknown interval, a range backwards or over 2 years', async function () {
    const refusals = [
      ['throughput?from=2024-02-30', 'query.from'],
      ['throughput?interval=month', 'query.interval'],
      ['throughput?from=2024-05-02&to=2024-05-01', 'query.from'],
      ['cycle-time?from=2022-01-01&to=2024-01-01', 'query.to'],
      ['aging?to=tomorrow', 'query.to'],
    ];

    for (const [path, field] of refusals) {
      const answer = await get(path!);
      expect(answer.status, path).to.equal(400);
      expect(answer.body.errors, path).to.deep.include.members([
        {
          path: field,
          message: (answer.body.errors as { message: string }[])[0]!.message,
        },
      ]);
    }
    const tooLong = await get('cycle-time?from=2022-01-01&to=2024-01-01');
    expect(JSON.stringify(tooLong.body))
      .to.contain('at most 2 years')
      .and.contain('2024-01-01');
    expect(
      (await get('cycle-time?from=2022-01-01&to=2023-12-31')).status,
    ).to.equal(200);
  });

  it('shows another tenant none of this one’s items', async function () {
    const theirs = await get('cycle-time?from=2024-06-01&to=2024-06-30', gina);
    const byConnection = await get(
      'lead-time?from=2024-06-01&to=2024-06-30&connection=jira-acme',
      gina,
    );

    expect(theirs.body).to.include({ count: 0 });
    expect(byConnection.body).to.include({ count: 0 });
  });

  it('filters by connection, project and issue type', async function () {
    const range = 'from=2024-06-01&to=2024-06-30';

    const byProject = await get(`cycle-time?${range}&project=K`);
    const byOther = await get(`cycle-time?${range}&project=NOPE`);
    const byBoth = await get(
      `throughput?${range}&connection=jira-acme&issueType=Task&interval=week`,
    );

    // The events' blind indexes are not those of the real key and type.
    expect(byProject.body).to.include({ count: 0 });
    expect(byOther.body).to.include({ count: 0 });
    expect(byBoth.body.series).to.deep.equal([]);
  });

  it('lets only admins change the status mapping and the time zone', async function () {
    const mapping = {
      statuses: [
        { status: 'Done', stage: 'done', excludeFromThroughput: true },
      ],
    };

    expect(
      (
        await api.call('PUT', '/v1/analytics/status-mapping', {
          token: bob,
          body: mapping,
        })
      ).status,
    ).to.equal(403);
    expect(
      (
        await api.call('PUT', '/v1/account/settings', {
          token: bob,
          body: { timeZone: 'UTC' },
        })
      ).status,
    ).to.equal(403);
    expect((await get('status-mapping', bob)).body).to.deep.include({
      statuses: [],
    });
  });

  it('refuses a mapping that excludes a status not done, and an unknown zone', async function () {
    const excluded = await api.call('PUT', '/v1/analytics/status-mapping', {
      token: alice,
      body: {
        statuses: [
          {
            status: 'Doing',
            stage: 'in_progress',
            excludeFromThroughput: true,
          },
        ],
      },
    });
    const zone = await api.call('PUT', '/v1/account/settings', {
      token: alice,
      body: { timeZone: '+02:00' },
    });

    expect(excluded.status).to.equal(400);
    expect(excluded.body).to.include({ code: 'status_mapping_invalid' });
    expect(zone.status).to.equal(400);
    expect(zone.body).to.include({ code: 'time_zone_unknown' });
  });

  it('shows the mapping with its recomputation, and the account settings', async function () {
    const put = await api.call('PUT', '/v1/analytics/status-mapping', {
      token: alice,
      body: {
        statuses: [
          { status: 'done', stage: 'done', excludeFromThroughput: true },
        ],
      },
    });
    await api.settled();
    const shown = await get('status-mapping', bob);
    const settings = await api.call('GET', '/v1/account/settings', {
      token: bob,
    });
    const throughput = await get('throughput?from=2024-06-01&to=2024-06-30');

    expect(put.status).to.equal(200);
    expect(shown.body.statuses).to.deep.equal([
      { status: 'done', stage: 'done', excludeFromThroughput: true },
    ]);
    expect(shown.body.recomputation).to.include({
      state: 'done',
      generation: 1,
    });
    expect(settings.body).to.deep.include({ timeZone: 'UTC' });
    expect(throughput.body.series).to.deep.equal([]);
  });

  it('keeps keys and status names sealed in every store', async function () {
    await api.call('PUT', '/v1/analytics/status-mapping', {
      token: alice,
      body: { statuses: [{ status: 'Mapped Canary Status', stage: 'todo' }] },
    });
    await api.append(api.acme.tenantId, itemStream('jira-acme', '50'), [
      observedEvent({
        connectionId: 'jira-acme',
        issueId: '50',
        key: 'CANARYKEY-917',
        statusId: '3',
        statusName: 'Observed Canary Status',
        statusCategory: 'indeterminate',
        createdAt: '2024-06-10T00:00:00.000Z',
        updatedAt: '2024-06-11T00:00:00.000Z',
      }),
    ]);
    await api.settled();
    const aging = await get('aging');
    expect(JSON.stringify(aging.body)).to.contain('CANARYKEY-917');

    const { hits } = scanFolder(api.f.dir, [
      'Mapped Canary Status',
      'Observed Canary Status',
      'CANARYKEY-917',
    ]);
    expect(hits).to.deep.equal([]);
  });
});

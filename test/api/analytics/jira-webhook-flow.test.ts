import { randomUUID } from 'node:crypto';

import { expect } from 'chai';

import { signatureOf } from '../../../src/commands/webhooks/webhook-signature.js';
import type { JiraKind } from '../../../src/commands/jira/jira-client.js';
import { JiraDouble } from '../../doubles/jira/jira-double.js';
import { webhookFixture } from '../../support/jira-fixtures.js';
import { serviceApi } from '../../support/service-api.js';
import type { ServiceApi } from '../../support/service-api.js';

const dayMs = 24 * 60 * 60 * 1000;

/** Days between two Jira timestamps, each read with its own offset. */
function daysBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / dayMs;
}

interface Durations {
  count: number;
  points: { key: string; finishedAt: string; days: number }[];
}

/**
 * Real Jira deliveries, posted as Jira posts them, give the cycle and
 * lead times their own timestamps say: TES-41 from Jira Cloud (-0800)
 * and TES-4 from Jira Server (+0800).
 */
describe('flow analytics from real Jira webhooks', function () {
  this.timeout(60_000);
  let api: ServiceApi;
  const doubles: JiraDouble[] = [];
  let alice: string;

  before(async function () {
    api = await serviceApi();
    alice = await api.login('acme', 'alice');
  });

  after(async function () {
    for (const jira of doubles) await jira.close();
    await api?.dispose();
  });

  async function connection(kind: JiraKind) {
    const jira = await JiraDouble.start({ kind });
    doubles.push(jira);

    return api.connect(alice, jira);
  }

  async function deliver(
    hook: { id: string; secret: string },
    fixtures: string[],
  ): Promise<void> {
    for (const name of fixtures) {
      const { raw } = webhookFixture(name);
      const answer = await api.call('POST', `/v1/webhooks/jira/${hook.id}`, {
        body: raw.toString('utf8'),
        headers: {
          'x-hub-signature': signatureOf(raw, hook.secret),
          'x-atlassian-webhook-identifier': randomUUID(),
        },
      });
      expect(answer.status, name).to.equal(202);
    }
  }

  /** The durations once the projections have applied every delivery. */
  async function durations(
    route: 'cycle-time' | 'lead-time',
    connectionId: string,
    range: string,
  ): Promise<Durations> {
    await api.settled();

    const answer = await api.call(
      'GET',
      `/v1/analytics/${route}?connection=${connectionId}&${range}`,
      { token: alice },
    );
    expect(answer.status, JSON.stringify(answer.body)).to.equal(200);

    return answer.body as unknown as Durations;
  }

  it('times TES-41 from Jira Cloud, and forgets its finish when reopened', async function () {
    const hook = await connection('jira-cloud');
    const created = '2019-02-15T19:01:52.971-0800';
    const started = '2019-02-15T19:14:22.002-0800';
    const finished = '2019-02-15T19:15:40.477-0800';
    const range = 'from=2019-02-01&to=2019-02-28';

    await deliver(hook, [
      'webhook-issue-created.json',
      'webhook-issue-updated-started-working.json',
      'webhook-issue-updated-resolved.json',
    ]);
    const cycle = await durations('cycle-time', hook.id, range);
    const lead = await durations('lead-time', hook.id, range);

    expect(cycle.count).to.equal(1);
    expect(cycle.points[0]).to.deep.include({
      key: 'TES-41',
      finishedAt: new Date(finished).toISOString(),
    });
    expect(cycle.points[0]!.days).to.be.closeTo(
      daysBetween(started, finished),
      1e-9,
    );
    expect(lead.points[0]!.days).to.be.closeTo(
      daysBetween(created, finished),
      1e-9,
    );

    // The project filter finds the item as the webhook recorded it.
    const inProject = (key: string) =>
      durations('cycle-time', hook.id, `${range}&project=${key}`);
    expect((await inProject('tes')).count).to.equal(1);
    expect((await inProject('OPS')).count).to.equal(0);

    await deliver(hook, ['webhook-issue-updated-reopened.json']);
    expect((await durations('cycle-time', hook.id, range)).count).to.equal(0);
  });

  it('times TES-4 from Jira Server across a reopening', async function () {
    const hook = await connection('jira-server');
    const created = '2019-08-13T06:14:23.580+0800';
    const startedAgain = '2019-08-14T11:02:33.678+0800';
    const closed = '2019-08-14T11:07:58.354+0800';
    const range = 'from=2019-08-01&to=2019-08-31';

    // Delivered out of order: the closing first, as a retry might be.
    await deliver(hook, [
      'webhook-server-issue-updated-resolved.json',
      'webhook-server-issue-updated-closed.json',
      'webhook-server-issue-updated-reopened.json',
      'webhook-server-issue-updated-in-progress.json',
    ]);
    const cycle = await durations('cycle-time', hook.id, range);
    const lead = await durations('lead-time', hook.id, range);

    expect(lead.count).to.equal(1);
    expect(lead.points[0]).to.deep.include({
      key: 'TES-4',
      finishedAt: new Date(closed).toISOString(),
    });
    expect(lead.points[0]!.days).to.be.closeTo(
      daysBetween(created, closed),
      1e-9,
    );
    expect(cycle.points[0]!.days).to.be.closeTo(
      daysBetween(startedAgain, closed),
      1e-9,
    );
  });
});

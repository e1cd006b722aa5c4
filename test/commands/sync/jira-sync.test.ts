import { expect } from 'chai';

import { faults } from '../../doubles/jira/double-faults.js';
import { addIssues } from '../jira/jira-fixture.js';
import { pause } from '../../support/waiting.js';
import { syncFixture } from './sync-fixture.js';
import type { SyncFixture } from './sync-fixture.js';

/** The facts of each kind, and whether any was recorded twice. */
function factSummary(facts: Awaited<ReturnType<SyncFixture['facts']>>) {
  const changes = facts.filter((e) => e.type === 'WorkItemStatusChanged');
  const changelogIds = changes.map((e) => String(e.data['changelogId']));
  const observed = facts.filter((e) => e.type === 'WorkItemObserved');

  return {
    items: new Set(facts.map((e) => e.streamName)).size,
    observed: observed.length,
    changes: changes.length,
    repeatedChanges: changelogIds.length - new Set(changelogIds).size,
  };
}

describe('Jira sync', function () {
  this.timeout(30_000);
  let f: SyncFixture;

  afterEach(async function () {
    await f?.dispose();
  });

  for (const kind of ['jira-cloud', 'jira-server'] as const) {
    it(`records every issue and transition of ${kind} once, then nothing more`, async function () {
      f = await syncFixture({ kind, maxPageSize: 7 });
      addIssues(f.double, 25, 3);

      const first = await f.runSync();
      expect(first.state).to.equal('succeeded');
      expect(first.run?.itemsSeen).to.equal(25);
      // Server pages overlap, to survive shifts; Cloud's tokens do not.
      expect(first.run?.pagesFetched).to.be.at.least(4);
      expect(factSummary(await f.facts())).to.deep.equal({
        items: 25,
        observed: 25,
        changes: 75,
        repeatedChanges: 0,
      });

      const second = await f.runSync();
      expect(second.state).to.equal('succeeded');
      expect((await f.facts()).length).to.equal(100);
    });
  }

  it('asks for what changed since the last good run began, in the Jira zone', async function () {
    f = await syncFixture({ kind: 'jira-cloud', timeZone: 'Asia/Kolkata' });
    const [first] = addIssues(f.double, 3, 1);
    const done = await f.runSync();
    const checkpoint = Date.parse(done.checkpoint!);

    f.double.issues.transition(first!, '10101', () => 'Done');
    f.double.requests.length = 0;
    await f.runSync();

    const search = f.double.requestsTo(/\/search\/jql$/)[0]!;
    const jql = (search.body as { jql: string }).jql;
    const since = new Date(checkpoint - 5 * 60_000);
    const local = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Asia/Kolkata',
      dateStyle: 'short',
      timeStyle: 'short',
      hourCycle: 'h23',
    })
      .format(since)
      .replace(/-/g, '/')
      .replace(',', '');
    expect(jql).to.equal(`updated >= "${local}" ORDER BY created ASC`);
    expect(factSummary(await f.facts())).to.deep.include({
      changes: 4,
      repeatedChanges: 0,
    });
  });

  it('resumes a run that died midway, without gaps or repeats', async function () {
    f = await syncFixture({ kind: 'jira-cloud', maxPageSize: 5 });
    addIssues(f.double, 40, 2);

    // The first instance hangs on its fourth page, as a killed process
    // would stop answering, holding a short lease it never renews.
    f.double.faults.next(3, faults.slow(0), /search\/jql/);
    f.double.faults.next(1, faults.slow(3_000), /search\/jql/);
    const doomed = f.sync({ leaseMs: 300, timeoutMs: 10_000 });
    const dying = await doomed.start(f.tenantId, f.connectionId, 'admin');
    expect(dying.kind).to.equal('started');
    await pause(1_000);

    const before = await f.ledger.state(f.tenantId, f.connectionId);
    expect(before.state).to.equal('running');
    f.double.requests.length = 0;
    const resumed = await f.runSync({ leaseMs: 60_000 });

    expect(resumed.state).to.equal('succeeded');
    expect(resumed.run?.syncId).to.equal(before.run?.syncId);
    const firstSearch = f.double.requestsTo(/\/search\/jql$/)[0]!;
    expect(firstSearch.body)
      .to.have.property('nextPageToken')
      .that.is.a('string');
    expect(factSummary(await f.facts())).to.deep.equal({
      items: 40,
      observed: 40,
      changes: 80,
      repeatedChanges: 0,
    });

    // The dead instance wakes up to a lease it no longer holds.
    if (dying.kind === 'started') await dying.done;
    const after = await f.ledger.state(f.tenantId, f.connectionId);
    expect(after.state).to.equal('succeeded');
  });

  it('runs one sync per connection at a time', async function () {
    f = await syncFixture({ kind: 'jira-server' });
    addIssues(f.double, 3);
    f.double.faults.next(1, faults.slow(500), /search/);

    const one = await f.sync().start(f.tenantId, f.connectionId, 'admin');
    const two = await f.sync().start(f.tenantId, f.connectionId, 'admin');

    expect(one.kind).to.equal('started');
    expect(two.kind).to.equal('busy');
    if (one.kind === 'started') await one.done;
  });

  it('ends as failed, with the reason, and keeps the checkpoint', async function () {
    f = await syncFixture({ kind: 'jira-cloud' });
    addIssues(f.double, 2);
    const good = await f.runSync();

    f.double.faults.always(faults.serverError(500), /search\/jql/);
    const failed = await f.runSync();

    expect(failed.state).to.equal('failed');
    expect(failed.lastError).to.deep.include({
      reason: 'server_error',
      message: 'The server kept failing',
    });
    expect(failed.checkpoint).to.equal(good.checkpoint);
  });
});

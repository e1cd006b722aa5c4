import { expect } from 'chai';

import { ConnectorError } from '../../../src/commands/connectors/connector-errors.js';
import { faults } from '../../doubles/jira/double-faults.js';
import {
  cloudCredentials,
  serverCredentials,
} from '../../doubles/jira/jira-double.js';
import { rejectionOf } from '../../support/rejection.js';
import { addIssues, jiraFixture, syncJql } from './jira-fixture.js';
import type { JiraFixture } from './jira-fixture.js';

async function failureOf(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await rejectionOf(promise);
  expect(error).to.be.instanceOf(ConnectorError);

  return error as ConnectorError;
}

for (const kind of ['jira-cloud', 'jira-server'] as const) {
  describe(`HttpJiraClient against ${kind}`, function () {
    let f: JiraFixture;
    const secrets =
      kind === 'jira-cloud'
        ? [cloudCredentials.apiToken, cloudCredentials.email]
        : [serverCredentials.personalAccessToken];
    const api = kind === 'jira-cloud' ? '/rest/api/3' : '/rest/api/2';

    beforeEach(async function () {
      f = await jiraFixture({ kind, timeZone: 'America/Chicago' });
    });

    afterEach(async function () {
      await f.dispose();
    });

    function expectNothingSecretLogged() {
      const logged = JSON.stringify(f.log.lines());
      for (const secret of [...secrets, 'Issue 1000', 'description']) {
        expect(logged).not.to.include(secret);
      }
    }

    describe('the connection', function () {
      it('reads the account behind the credentials, with its time zone', async function () {
        const account = await f.client.myself(f.target);

        expect(account).to.deep.equal({
          accountId: '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077',
          displayName: 'Sync Robot',
          timeZone: 'America/Chicago',
        });
        expect(f.double.requests[0]?.path).to.equal(`${api}/myself`);
      });

      it(`signs in with ${kind === 'jira-cloud' ? 'HTTP Basic' : 'a Bearer token'}`, async function () {
        await f.client.myself(f.target);

        const expected =
          kind === 'jira-cloud'
            ? `Basic ${Buffer.from(`${cloudCredentials.email}:${cloudCredentials.apiToken}`).toString('base64')}`
            : `Bearer ${serverCredentials.personalAccessToken}`;
        expect(f.double.requests[0]?.authorization).to.equal(expected);
      });

      it('reads the statuses with their categories', async function () {
        const statuses = await f.client.statuses(f.target);

        expect(statuses).to.deep.include({
          id: '3',
          name: 'In Progress',
          category: 'indeterminate',
        });
        expect(statuses.map((s) => s.category)).to.deep.equal([
          'new',
          'indeterminate',
          'indeterminate',
          'done',
          'undefined',
        ]);
      });

      it('keeps a context path in the base URL', async function () {
        const g = await jiraFixture({ kind, contextPath: '/jira' });
        try {
          await g.client.myself(g.target);

          expect(g.target.baseUrl).to.match(/\/jira$/);
          expect(g.double.requests[0]?.path).to.equal(`${api}/myself`);
        } finally {
          await g.dispose();
        }
      });
    });

    describe('refusals', function () {
      it('says unauthorized for wrong credentials, without repeating them', async function () {
        const credentials =
          kind === 'jira-cloud'
            ? { email: 'sync@acme.example', apiToken: 'wrong-token-0000' }
            : { personalAccessToken: 'wrong-pat-0000' };

        const error = await failureOf(
          f.client.myself({ ...f.target, credentials }),
        );

        expect(error.reason).to.equal('unauthorized');
        expect(error.message).not.to.include('wrong-');
        expect(error.message).not.to.include('sync@acme.example');
        expect(f.double.requests[0]?.authorized).to.equal(false);
      });

      it('says forbidden for a 403', async function () {
        f.double.faults.next(1, faults.forbidden());

        const error = await failureOf(f.client.statuses(f.target));

        expect(error.reason).to.equal('forbidden');
      });

      it('says unauthorized when Jira refuses the login itself (CAPTCHA)', async function () {
        f.double.faults.next(1, faults.captchaRequired());

        const error = await failureOf(f.client.myself(f.target));

        expect(error.reason).to.equal('unauthorized');
      });

      it('says not Jira for an HTML page', async function () {
        f.double.faults.next(1, faults.htmlPage());

        const error = await failureOf(f.client.myself(f.target));

        expect(error.reason).to.equal('not_jira');
        expect(error.message).not.to.include('html');
      });

      it('says not Jira for JSON of another shape on /myself', async function () {
        f.double.faults.next(1, faults.json({ hello: 'world' }));

        const error = await failureOf(f.client.myself(f.target));

        expect(error.reason).to.equal('not_jira');
        expect(error.detail).to.include('displayName');
      });

      it('says not Jira when /myself is not there', async function () {
        f.double.faults.next(1, faults.notFound(), /myself$/);

        const error = await failureOf(f.client.myself(f.target));

        expect(error.reason).to.equal('not_jira');
        expect(error.detail).to.equal('myself: 404');
      });

      it('says the query was refused when Jira answers 400', async function () {
        addIssues(f.double, 1);

        const error = await failureOf(
          f.client.search(
            f.target,
            'updated >= "2026/01/01 00:00" AND project in (NOPE) ORDER BY created ASC',
          ),
        );

        expect(error.reason).to.equal('query_refused');
        expect(error.message).not.to.include('NOPE');
      });

      it('names the paths of an answer that fails the schema, and nothing of its content', async function () {
        const page =
          kind === 'jira-cloud'
            ? {
                issues: [
                  { id: '1', key: 'A-1', fields: { summary: 'Secret plan' } },
                ],
              }
            : {
                startAt: 0,
                total: 1,
                issues: [
                  { id: '1', key: 'A-1', fields: { summary: 'Secret plan' } },
                ],
              };
        f.double.faults.next(1, faults.json(page));

        const error = await failureOf(f.client.search(f.target, syncJql));

        expect(error.reason).to.equal('invalid_response');
        expect(error.detail).to.include(
          'issues.0.fields.status (invalid_type)',
        );
        expect(error.message).not.to.include('Secret plan');
      });
    });

    describe('throttling and passing failures', function () {
      it('waits what a 429 asks in Retry-After, then succeeds', async function () {
        f.double.faults.next(2, faults.rateLimited(3));

        const account = await f.client.myself(f.target);

        expect(account.displayName).to.equal('Sync Robot');
        expect(f.double.requests).to.have.length(3);
        expect(f.sleeps).to.have.length(2);
        for (const slept of f.sleeps) expect(slept).to.be.within(3000, 4000);
      });

      it('waits until X-RateLimit-Reset, then succeeds', async function () {
        const now = Date.parse('2026-12-04T10:00:00Z');
        const g = await jiraFixture(
          { kind },
          { now: () => now, random: () => 0 },
        );
        try {
          g.double.faults.next(
            1,
            faults.rateLimitedUntil(new Date(now + 60_000)),
          );

          await g.client.statuses(g.target);

          expect(g.sleeps).to.deep.equal([60_000]);
        } finally {
          await g.dispose();
        }
      });

      it('honours a 503 with Retry-After', async function () {
        f.double.faults.next(1, faults.unavailable(1));

        await f.client.statuses(f.target);

        expect(f.sleeps).to.have.length(1);
        expect(f.sleeps[0]).to.be.within(1000, 1200);
      });

      it('gives up as rate limited when throttling lasts', async function () {
        f.double.faults.always(faults.rateLimited(1));

        const error = await failureOf(f.client.myself(f.target));

        expect(error.reason).to.equal('rate_limited');
        expect(f.double.requests).to.have.length(8);
      });

      it('gives up at once when asked to wait too long', async function () {
        f.double.faults.always(faults.rateLimited(3600));

        const error = await failureOf(f.client.myself(f.target));

        expect(error.reason).to.equal('rate_limited');
        expect(error.detail).to.equal('myself: asked to wait 3600 s');
        expect(f.sleeps).to.have.length(0);
      });

      it('tries a 5xx again, then succeeds', async function () {
        f.double.faults.next(1, faults.serverError(500));
        f.double.faults.next(1, faults.serverError(502));

        await f.client.statuses(f.target);

        expect(f.double.requests).to.have.length(3);
        expect(f.sleeps).to.have.length(2);
      });

      it('says server error when 5xx answers last', async function () {
        f.double.faults.always(faults.serverError(500));

        const error = await failureOf(f.client.statuses(f.target));

        expect(error.reason).to.equal('server_error');
        expect(f.double.requests).to.have.length(4);
        const given = f.log
          .lines()
          .find((line) => line.msg === 'giving up a connector call');
        expect(given).to.include({ level: 40, status: 500, attempt: 4 });
      });

      it('tries a timed-out request again, then says timeout', async function () {
        const g = await jiraFixture({ kind }, { timeoutMs: 200 });
        try {
          g.double.faults.next(1, faults.slow(600));
          const account = await g.client.myself(g.target);
          expect(account.displayName).to.equal('Sync Robot');
          expect(g.sleeps).to.have.length(1);

          g.double.faults.always(faults.slow(600));
          const error = await failureOf(g.client.myself(g.target));
          expect(error.reason).to.equal('timeout');
          expect(g.sleeps).to.have.length(1 + 3);
        } finally {
          await g.dispose();
        }
      });

      it('tries again after a dropped connection', async function () {
        f.double.faults.next(1, faults.reset());

        await f.client.myself(f.target);

        expect(f.double.requests).to.have.length(2);
      });

      it('logs each retry with its status, and nothing secret', async function () {
        addIssues(f.double, 2);
        f.double.faults.next(1, faults.rateLimited(1));

        await f.client.search(f.target, syncJql);

        const retry = f.log
          .lines()
          .find((line) => line.msg === 'retrying a connector call');
        expect(retry).to.include({
          level: 40,
          status: 429,
          operation: 'search',
          attempt: 1,
          host: `127.0.0.1:${f.double.port}`,
        });
        expectNothingSecretLogged();
      });
    });
  });
}

import { expect } from 'chai';

import { GuardedHttps } from '../../../src/commands/connectors/guarded-https.js';
import { jiraFixture } from '../../commands/jira/jira-fixture.js';
import type { JiraFixture } from '../../commands/jira/jira-fixture.js';
import { addGeneratedIssues } from './generated-issues.js';
import { rawSearch } from './raw-search.js';

describe('Jira double', function () {
  let f: JiraFixture;

  afterEach(async function () {
    await f.dispose();
  });

  for (const kind of ['jira-cloud', 'jira-server'] as const) {
    it(`reads JQL dates to the minute in the zone of /myself (${kind})`, async function () {
      f = await jiraFixture({ kind, timeZone: 'America/Chicago' });
      // 09:30 in Chicago, which is six hours behind UTC in January.
      const updated = Date.parse('2026-01-10T15:30:20Z');
      const issue = f.double.issues.add({ created: updated, updated });
      const found = async (date: string) => {
        const jql = `updated >= "${date}" ORDER BY created ASC`;
        const page = await f.client.search(f.target, jql);
        return page.issues.map((i) => i.id);
      };

      expect(await found('2026/01/10 09:30')).to.deep.equal([issue.id]);
      expect(await found('2026-01-10 09:30')).to.deep.equal([issue.id]);
      expect(await found('2026/01/10 09:31')).to.deep.equal([]);
      expect(await found('2026/01/10 15:30')).to.deep.equal([]);
    });

    it(`writes timestamps with the offset of its zone (${kind})`, async function () {
      f = await jiraFixture({ kind, timeZone: 'Asia/Kolkata' });
      const issue = f.double.issues.add({
        created: Date.parse('2026-05-01T00:00:00.123Z'),
      });

      const answer = await get(f, `/issue/${issue.id}?fields=created`);
      const page = await f.client.search(f.target, 'ORDER BY created ASC');

      expect(JSON.parse(answer.body)).to.deep.include({
        fields: { created: '2026-05-01T05:30:00.123+0530' },
      });
      expect(page.issues[0]?.fields.created).to.equal(
        '2026-05-01T00:00:00.123Z',
      );
    });

    it(`filters by project (${kind})`, async function () {
      f = await jiraFixture({ kind });
      const ids = addGeneratedIssues(f.double, {
        count: 6,
        historiesPerIssue: 2,
      });

      const page = await f.client.search(
        f.target,
        'updated >= "2000/01/01 00:00" AND project in (OPS) ORDER BY created ASC',
      );

      expect(page.issues.map((i) => i.id)).to.deep.equal([
        ids[1],
        ids[3],
        ids[5],
      ]);
      expect(page.issues.every((i) => i.fields.project.key === 'OPS')).to.equal(
        true,
      );
    });

    it(`serves the same pages to a bare client (${kind})`, async function () {
      f = await jiraFixture({ kind, inlineChangelogLimit: 10 });
      addGeneratedIssues(f.double, {
        count: 120,
        longChangelogEvery: 40,
        longHistories: 30,
      });
      f.double.prerender();

      const raw = await rawSearch(f.double, 'ORDER BY created ASC');

      expect(raw.issues).to.equal(120);
      expect(raw.histories).to.equal(117 * 12 + 3 * 30);
    });
  }

  it('answers 404 to the changelog endpoint on Server, as Data Center 9 does', async function () {
    f = await jiraFixture({ kind: 'jira-server' });
    const issue = f.double.issues.add();

    const paged = await get(f, `/issue/${issue.id}/changelog`);
    const whole = await get(f, `/issue/${issue.id}?expand=changelog`);

    expect(paged.status).to.equal(404);
    expect(whole.status).to.equal(200);
  });
});

/** A GET below the double's REST API, with its credentials. */
async function get(f: JiraFixture, path: string) {
  const https = new GuardedHttps({ allowPrivateTargets: true });
  const api = f.double.kind === 'jira-cloud' ? '/rest/api/3' : '/rest/api/2';
  const credentials = f.double.credentials;
  const authorization =
    'personalAccessToken' in credentials
      ? `Bearer ${credentials.personalAccessToken}`
      : `Basic ${Buffer.from(`${credentials.email}:${credentials.apiToken}`).toString('base64')}`;
  try {
    const answer = await https.exchange({
      baseUrl: f.double.baseUrl,
      caCertificate: f.double.caCertificate,
      method: 'GET',
      path: `${api}${path}`,
      headers: { authorization },
    });
    return { status: answer.status, body: answer.body.toString() };
  } finally {
    https.close();
  }
}

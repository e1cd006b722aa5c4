import { expect } from 'chai';

import { jiraIssueFields } from '../../../src/commands/jira/jira-issue.js';
import type { JiraIssue } from '../../../src/commands/jira/jira-issue.js';
import { InvalidSearchCursorError } from '../../../src/commands/jira/search-cursor.js';
import { faults } from '../../doubles/jira/double-faults.js';
import { rejectionOf } from '../../support/rejection.js';
import { addIssues, jiraFixture, syncJql } from './jira-fixture.js';
import type { JiraFixture } from './jira-fixture.js';

const idsOf = (issues: JiraIssue[]) => issues.map((issue) => issue.id);

for (const kind of ['jira-cloud', 'jira-server'] as const) {
  const cloud = kind === 'jira-cloud';

  describe(`HttpJiraClient search on ${kind}`, function () {
    let f: JiraFixture;
    const searchPath = cloud ? /\/search\/jql$/ : /\/search$/;
    const changelogPath = cloud ? /\/changelog$/ : /\/issue\/\d+$/;

    beforeEach(async function () {
      f = await jiraFixture(
        { kind, inlineChangelogLimit: 5 },
        { cloudPageSize: 10, serverPageSize: 10, serverPageOverlap: 2 },
      );
    });

    afterEach(async function () {
      await f.dispose();
    });

    it('pages through every issue once, in created order', async function () {
      const ids = addIssues(f.double, 23, 1);

      const issues = await f.searchAll(syncJql);

      expect(idsOf(issues)).to.deep.equal(ids);
      expect(f.double.requestsTo(searchPath).length).to.be.within(3, 4);
    });

    it(
      cloud ? 'pages by nextPageToken' : 'pages by startAt, overlapping',
      async function () {
        addIssues(f.double, 23);

        await f.searchAll(syncJql);

        const searches = f.double.requestsTo(searchPath);
        if (cloud) {
          const tokens = searches.map(
            (r) => (r.body as { nextPageToken?: string }).nextPageToken,
          );
          expect(tokens[0]).to.equal(undefined);
          expect(tokens.slice(1).every((t) => typeof t === 'string')).to.equal(
            true,
          );
        } else {
          const offsets = searches.map((r) => Number(r.query.get('startAt')));
          expect(offsets).to.deep.equal([0, 8, 16]);
        }
      },
    );

    it('asks for the sync fields only, with the changelog expanded', async function () {
      addIssues(f.double, 1);

      await f.client.search(f.target, syncJql);

      const [search] = f.double.requestsTo(searchPath);
      if (cloud) {
        expect(search?.body).to.deep.include({
          jql: syncJql,
          fields: [...jiraIssueFields],
          expand: 'changelog',
        });
      } else {
        expect(search?.query.get('jql')).to.equal(syncJql);
        expect(search?.query.get('fields')).to.equal(jiraIssueFields.join(','));
        expect(search?.query.get('expand')).to.equal('changelog');
      }
    });

    it('reads a cut changelog in full, oldest first', async function () {
      const [long, short] = addIssues(f.double, 1, 250).concat(
        addIssues(f.double, 1, 3),
      );

      const page = await f.client.search(f.target, syncJql);

      const [first, second] = page.issues;
      expect(first?.id).to.equal(long);
      expect(first?.changelog?.histories).to.have.length(250);
      expect(first?.changelog?.total).to.equal(250);
      const created = first!.changelog!.histories.map((h) => h.created);
      expect(created).to.deep.equal([...created].sort());
      expect(second?.id).to.equal(short);
      expect(second?.changelog?.histories).to.have.length(3);
      const reads = f.double.requestsTo(changelogPath);
      expect(reads).to.have.length(cloud ? 3 : 1);
      expect(reads.every((r) => r.path.includes(long!))).to.equal(true);
    });

    it('drops an issue deleted before its cut changelog is read', async function () {
      const [gone, kept] = addIssues(f.double, 2, 8);
      f.double.faults.next(1, faults.notFound(), changelogPath);

      const page = await f.client.search(f.target, syncJql);

      expect(idsOf(page.issues)).to.deep.equal([kept]);
      expect(page.issues[0]?.changelog?.histories).to.have.length(8);
      expect(gone).to.be.a('string');
    });

    it('loses no issue when one not yet returned is deleted between pages', async function () {
      const ids = addIssues(f.double, 25);

      const issues = await f.searchAll(syncJql, (_page, index) => {
        if (index === 0) f.double.issues.delete(ids[14]!);
      });

      expect(idsOf(issues)).to.deep.equal(ids.filter((id) => id !== ids[14]));
    });

    it('loses no issue when many already returned are deleted between pages', async function () {
      const ids = addIssues(f.double, 30);

      const issues = await f.searchAll(syncJql, (_page, index) => {
        if (index === 0)
          ids.slice(0, 7).forEach((id) => f.double.issues.delete(id));
      });

      expect(idsOf(issues)).to.deep.equal(ids);
    });

    it('returns an issue moved to another project between pages once', async function () {
      const other = { id: '10200', key: 'OPS', name: 'Operations' };
      f.double.issues.add({ project: other, created: 0 });
      f.double.issues.delete(f.double.issues.inOrder()[0]!.issue.id);
      const ids = addIssues(f.double, 25);
      const jql =
        'updated >= "2000/01/01 00:00" AND project in (ACME, OPS) ORDER BY created ASC';

      const issues = await f.searchAll(jql, (_page, index) => {
        if (index !== 0) return;
        f.double.issues.update(ids[3]!, (issue) => {
          issue.project = other;
          issue.key = 'OPS-7';
        });
        f.double.issues.update(ids[17]!, (issue) => {
          issue.project = other;
          issue.key = 'OPS-8';
        });
      });

      expect(idsOf(issues)).to.deep.equal(ids);
      expect(issues.find((i) => i.id === ids[17])?.key).to.equal('OPS-8');
    });

    it('returns each issue once when equal created times swap places between pages', async function () {
      const ids = addIssues(f.double, 1).concat(
        Array.from(
          { length: 24 },
          () =>
            f.double.issues.add({ created: Date.parse('2026-03-02T00:00:00Z') })
              .id,
        ),
      );

      const issues = await f.searchAll(syncJql, (_page, index) => {
        if (index > 1) return;
        // An update reindexes an issue; Jira Server then orders it last
        // among those created at the same instant.
        f.double.issues.update(ids[2 + index]!, () => undefined);
        f.double.issues.update(ids[20]!, () => undefined);
      });

      expect([...idsOf(issues)].sort()).to.deep.equal([...ids].sort());
    });

    it('asks for smaller pages when one is over the size limit', async function () {
      const g = await jiraFixture(
        { kind },
        { cloudPageSize: 16, serverPageSize: 16, maxResponseBytes: 40_000 },
      );
      try {
        const ids = addIssues(g.double, 20, 4);

        const issues = await g.searchAll(syncJql);

        expect(idsOf(issues)).to.deep.equal(ids);
        const sizes = g.double
          .requestsTo(searchPath)
          .map((r) =>
            Number(
              cloud
                ? (r.body as { maxResults: number }).maxResults
                : r.query.get('maxResults'),
            ),
          );
        expect(sizes[0]).to.equal(16);
        expect(Math.min(...sizes)).to.be.below(16);
        expect(
          g.log
            .lines()
            .some((l) => l.msg === 'Jira page too large; asking for fewer'),
        ).to.equal(true);
      } finally {
        await g.dispose();
      }
    });

    it('refuses a cursor it did not give', async function () {
      const error = await rejectionOf(
        f.client.search(f.target, syncJql, 'bm9wZQ'),
      );

      expect(error).to.be.instanceOf(InvalidSearchCursorError);
    });
  });
}

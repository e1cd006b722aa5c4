import { expect } from 'chai';

import { issueFacts } from '../../../src/commands/jira/issue-facts.js';
import {
  jiraIssueSchema,
  parseJiraTimestamp,
  webhookIssueSchema,
} from '../../../src/commands/jira/jira-issue.js';
import type { ChangelogHistory } from '../../../src/commands/jira/jira-issue.js';
import {
  fixedBlindIndex,
  webhookFixture,
} from '../../support/jira-fixtures.js';

async function factsOf(name: string, histories: ChangelogHistory[] = []) {
  const issue = webhookIssueSchema.parse(webhookFixture(name).body.issue);

  return issueFacts({
    tenantId: 't-1',
    connectionId: 'c-1',
    issue,
    histories,
    categories: new Map(),
    blindIndex: fixedBlindIndex,
  });
}

describe('Jira timestamps', function () {
  it('keeps the exact instant of each offset', function () {
    expect(parseJiraTimestamp('2019-02-15T19:01:52.971-0800')).to.equal(
      '2019-02-16T03:01:52.971Z',
    );
    expect(parseJiraTimestamp('2019-08-14T11:07:58.354+0800')).to.equal(
      '2019-08-14T03:07:58.354Z',
    );
    expect(parseJiraTimestamp('2019-06-04T00:10:21.326+0000')).to.equal(
      '2019-06-04T00:10:21.326Z',
    );
    expect(parseJiraTimestamp('2024-01-01T10:00:00Z')).to.equal(
      '2024-01-01T10:00:00.000Z',
    );
  });

  it('refuses what is not a Jira timestamp', function () {
    for (const text of ['2019-02-15', 'yesterday', '2019-02-15T19:01:52']) {
      expect(parseJiraTimestamp(text), text).to.equal(undefined);
    }
    expect(parseJiraTimestamp('2019-13-45T99:01:52.971-0800')).to.equal(
      undefined,
    );
  });
});

describe('issue facts', function () {
  it('observes a real issue with every field analytics needs', async function () {
    const { observation } = await factsOf(
      'webhook-issue-updated-resolved.json',
    );

    expect(observation).to.deep.include({
      connectionId: 'c-1',
      issueId: '10040',
      key: 'TES-41',
      summary: 'Unit test summary 1',
      projectKey: 'TES',
      projectName: 'test1',
      issueTypeName: 'Story',
      statusName: 'Done',
      statusCategory: 'done',
      priority: 'High',
      assignee: null,
      createdAt: '2019-02-16T03:01:52.971Z',
      updatedAt: '2019-02-16T03:15:40.477Z',
      resolvedAt: '2019-02-16T03:15:40.470Z',
    });
  });

  it('finds projects by key in any case, through a blind index', async function () {
    const a = await factsOf('webhook-issue-updated-resolved.json');
    const index = await fixedBlindIndex.ofTenantValue(
      't-1',
      'work-item-project',
      'TES',
    );

    expect(a.observation.projectIndex).to.equal(index);
    expect(a.observation.projectIndex).to.not.include('TES');
  });

  it('takes transitions from status items only, with their categories', async function () {
    const { statusChanges } = await factsOf(
      'webhook-issue-updated-resolved.json',
      [
        {
          id: '10228',
          created: '2019-02-16T03:15:40.477Z',
          items: [
            { field: 'resolution', from: null, to: '10000', toString: 'Done' },
            {
              field: 'status',
              from: '3',
              fromString: 'In Progress',
              to: '10002',
              toString: 'Done',
            },
          ],
        },
      ],
    );

    expect(statusChanges).to.deep.equal([
      {
        connectionId: 'c-1',
        issueId: '10040',
        changelogId: '10228',
        changedAt: '2019-02-16T03:15:40.477Z',
        fromStatusId: '3',
        fromStatusName: 'In Progress',
        fromCategory: null,
        toStatusId: '10002',
        toStatusName: 'Done',
        toCategory: 'done',
      },
    ]);
  });

  it('names Server users by their key', async function () {
    const { observation } = await factsOf(
      'webhook-issue-updated-assigned-on-server.json',
    );

    expect(observation.assignee).to.deep.equal({
      accountId: 'admin',
      displayName: 'Test User',
    });
  });

  it('refuses a REST issue without its times', function () {
    const issue = webhookFixture('webhook-issue-assigned-empty-changelog.json')
      .body.issue;

    expect(jiraIssueSchema.safeParse(issue).success).to.equal(false);
    expect(webhookIssueSchema.safeParse(issue).success).to.equal(true);
  });
});

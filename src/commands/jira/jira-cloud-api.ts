import type { JiraSearchPage } from './jira-client.js';
import { completeChangelogs } from './changelog-completion.js';
import type { JiraDialect, JiraPagingSettings } from './jira-dialect.js';
import { withShrinkingPages } from './jira-dialect.js';
import { jiraIssueFields } from './jira-issue.js';
import type { ChangelogHistory, JiraIssue } from './jira-issue.js';
import {
  changelogPageSchema,
  cloudSearchPageSchema,
} from './jira-responses.js';
import { decodeSearchCursor, encodeSearchCursor } from './search-cursor.js';
import type { JiraSession } from './jira-session.js';

/** The changelog endpoint's largest page. */
const changelogPageSize = 100;

/**
 * Jira Cloud, REST API v3: search by `POST /search/jql`, paged by Jira's
 * `nextPageToken` (a token, not an offset, so nothing shifts under it);
 * cut changelogs read from `/issue/{id}/changelog`.
 */
export class JiraCloudApi implements JiraDialect {
  readonly myselfPath = '/rest/api/3/myself';
  readonly statusesPath = '/rest/api/3/status';

  constructor(private readonly settings: JiraPagingSettings) {}

  async search(
    session: JiraSession,
    jql: string,
    encoded: string | undefined,
  ): Promise<JiraSearchPage> {
    const cursor =
      encoded === undefined ? undefined : decodeSearchCursor(encoded, 'cloud');
    const { value: page, pageSize } = await withShrinkingPages(
      cursor?.pageSize ?? this.settings.pageSize,
      this.settings.logger,
      (size) =>
        session.read(
          {
            method: 'POST',
            path: '/rest/api/3/search/jql',
            body: {
              jql,
              maxResults: size,
              fields: [...jiraIssueFields],
              expand: 'changelog',
              ...(cursor === undefined ? {} : { nextPageToken: cursor.token }),
            },
            operation: 'search',
          },
          cloudSearchPageSchema,
        ),
    );

    const issues = await completeChangelogs(
      page.issues,
      (issue) => this.fullChangelog(session, issue),
      this.settings.changelogConcurrency,
    );
    const token = page.isLast === true ? undefined : page.nextPageToken;

    return {
      issues,
      next: token
        ? encodeSearchCursor({ kind: 'cloud', token, pageSize })
        : undefined,
    };
  }

  private async fullChangelog(
    session: JiraSession,
    issue: JiraIssue,
  ): Promise<ChangelogHistory[] | undefined> {
    const histories: ChangelogHistory[] = [];
    const path = `/rest/api/3/issue/${encodeURIComponent(issue.id)}/changelog`;

    for (let startAt = 0; ;) {
      const page = await session.readIfFound(
        {
          method: 'GET',
          path: `${path}?startAt=${startAt}&maxResults=${changelogPageSize}`,
          operation: 'changelog',
        },
        changelogPageSchema,
      );
      if (page === undefined) return undefined;

      histories.push(...page.values);
      startAt = page.startAt + page.values.length;
      const done =
        page.isLast === true ||
        page.values.length === 0 ||
        (page.total !== undefined && startAt >= page.total);
      if (done) return histories;
    }
  }
}

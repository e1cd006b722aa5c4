import type { JiraSearchPage } from './jira-client.js';
import { completeChangelogs, isChangelogCut } from './changelog-completion.js';
import type { JiraDialect, JiraPagingSettings } from './jira-dialect.js';
import { withShrinkingPages } from './jira-dialect.js';
import { jiraIssueFields } from './jira-issue.js';
import type { ChangelogHistory, JiraIssue } from './jira-issue.js';
import {
  issueChangelogSchema,
  serverSearchPageSchema,
} from './jira-responses.js';
import { decodeSearchCursor, encodeSearchCursor } from './search-cursor.js';
import type { ServerCursor } from './search-cursor.js';
import type { JiraSession } from './jira-session.js';
import { ordersByCreatedAscending, readServerWindow } from './server-paging.js';
import type { ServerWindow } from './server-paging.js';

export interface JiraServerPagingSettings extends JiraPagingSettings {
  /** Issues of a page asked for again by the next; see server-paging.ts. */
  overlap: number;
}

/**
 * Jira Server and Data Center, REST API v2: search by `GET /search`,
 * paged by offset. Server has no paged changelog endpoint (Data Center
 * 9.12 answers 404 to `/issue/{id}/changelog`), so a cut changelog is
 * read whole from `/issue/{id}?expand=changelog`.
 */
export class JiraServerApi implements JiraDialect {
  readonly myselfPath = '/rest/api/2/myself';
  readonly statusesPath = '/rest/api/2/status';

  constructor(private readonly settings: JiraServerPagingSettings) {}

  async search(
    session: JiraSession,
    jql: string,
    encoded: string | undefined,
  ): Promise<JiraSearchPage> {
    let cursor = this.cursorOf(encoded);
    const paging = {
      overlap: this.settings.overlap,
      orderedByCreated: ordersByCreatedAscending(jql),
    };

    for (;;) {
      const window = await this.window(session, jql, cursor);
      cursor = { ...cursor, pageSize: window.pageSize };
      const reading = readServerWindow(cursor, window, paging);
      if (reading.kind === 'page') {
        const issues = await completeChangelogs(
          reading.issues,
          (issue) => this.fullChangelog(session, issue),
          this.settings.changelogConcurrency,
        );
        const next = reading.next && encodeSearchCursor(reading.next);

        return { issues, next };
      }

      this.settings.logger.debug(
        { startAt: reading.startAt },
        'Jira results shifted between pages; reading from further back',
      );
      cursor = { ...cursor, startAt: reading.startAt };
    }
  }

  private cursorOf(encoded: string | undefined): ServerCursor {
    if (encoded !== undefined) return decodeSearchCursor(encoded, 'server');

    return {
      kind: 'server',
      startAt: 0,
      pageSize: this.settings.pageSize,
      overlapping: false,
      idsAtLastCreated: [],
    };
  }

  private async window(
    session: JiraSession,
    jql: string,
    cursor: ServerCursor,
  ): Promise<ServerWindow & { pageSize: number }> {
    const { value, pageSize } = await withShrinkingPages(
      cursor.pageSize,
      this.settings.logger,
      (size) => {
        const query = new URLSearchParams({
          jql,
          startAt: String(cursor.startAt),
          maxResults: String(size),
          fields: jiraIssueFields.join(','),
          expand: 'changelog',
        });
        return session.read(
          {
            method: 'GET',
            path: `/rest/api/2/search?${query}`,
            operation: 'search',
          },
          serverSearchPageSchema,
        );
      },
    );

    return {
      startAt: cursor.startAt,
      total: value.total,
      issues: value.issues,
      pageSize,
    };
  }

  private async fullChangelog(
    session: JiraSession,
    issue: JiraIssue,
  ): Promise<ChangelogHistory[] | undefined> {
    const read = await session.readIfFound(
      {
        method: 'GET',
        path: `/rest/api/2/issue/${encodeURIComponent(issue.id)}?expand=changelog&fields=created`,
        operation: 'changelog',
      },
      issueChangelogSchema,
    );
    if (read === undefined) return undefined;

    if (isChangelogCut({ ...issue, changelog: read.changelog })) {
      // No Server endpoint pages a changelog further; what it sent is all
      // there is to have.
      this.settings.logger.warn(
        { issueId: issue.id, histories: read.changelog.histories.length },
        'Jira sent a cut changelog for a single issue',
      );
    }

    return read.changelog.histories;
  }
}

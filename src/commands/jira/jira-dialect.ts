import type { Logger } from '../../ports/logger.js';
import { ResponseTooLargeError } from '../connectors/bounded-body.js';
import type { JiraSearchPage } from './jira-client.js';
import type { JiraSession } from './jira-session.js';

/** Where Jira Cloud and Jira Server differ: paths, paging, changelogs. */
export interface JiraDialect {
  readonly myselfPath: string;
  readonly statusesPath: string;
  search(
    session: JiraSession,
    jql: string,
    cursor: string | undefined,
  ): Promise<JiraSearchPage>;
}

export interface JiraPagingSettings {
  /** Issues asked for per search page; Jira may send fewer. */
  pageSize: number;
  /** Cut changelogs read at the same time, per page. */
  changelogConcurrency: number;
  logger: Logger;
}

/**
 * Reads a page, asking for half as many issues each time the answer is
 * over the size limit: a page of issues with long changelogs can be,
 * where a smaller page of the same issues is not.
 */
export async function withShrinkingPages<T>(
  pageSize: number,
  logger: Logger,
  read: (pageSize: number) => Promise<T>,
): Promise<{ value: T; pageSize: number }> {
  for (let size = pageSize; ; size = Math.ceil(size / 2)) {
    try {
      return { value: await read(size), pageSize: size };
    } catch (error) {
      if (!(error instanceof ResponseTooLargeError) || size === 1) throw error;
      logger.info({ pageSize: size }, 'Jira page too large; asking for fewer');
    }
  }
}

import type { WorkflowStatus } from '../../domain/work-item/workflow.js';
import type { JiraIssue } from './jira-issue.js';

export type JiraKind = 'jira-cloud' | 'jira-server';

/** Cloud: an account email and an API token, sent as HTTP Basic. */
export interface JiraCloudCredentials {
  email: string;
  apiToken: string;
}

/** Server and Data Center: a personal access token, sent as a Bearer. */
export interface JiraServerCredentials {
  personalAccessToken: string;
}

export type JiraCredentials = JiraCloudCredentials | JiraServerCredentials;

/** Where a Jira site is and how to sign in to it. */
export interface JiraTarget {
  kind: JiraKind;
  /** `https://` only; may carry a port and a context path. */
  baseUrl: string;
  credentials: JiraCredentials;
  /** PEM, for sites behind a customer's internal CA. */
  caCertificate?: string;
}

/** Whom the credentials belong to. */
export interface JiraAccount {
  accountId: string;
  displayName: string;
  /** The zone JQL dates are read in, when Jira says it. */
  timeZone: string | undefined;
}

export interface JiraSearchPage {
  /** Each with its whole changelog, however long. */
  issues: JiraIssue[];
  /** Asks for the page after this one; absent on the last page. */
  next: string | undefined;
}

/**
 * The calls sync makes to a Jira site. Every failure is a ConnectorError
 * whose reason an admin can act on; throttling and passing faults are
 * retried inside, within bounds.
 */
export interface JiraClient {
  /** Tests the connection: the account behind the credentials. */
  myself(target: JiraTarget): Promise<JiraAccount>;

  /** Every status of the site's workflows, with its category. */
  statuses(target: JiraTarget): Promise<WorkflowStatus[]>;

  /**
   * One page of issues matching the JQL, in the order the JQL gives.
   * `cursor` is the previous page's `next`.
   */
  search(
    target: JiraTarget,
    jql: string,
    cursor?: string,
  ): Promise<JiraSearchPage>;
}

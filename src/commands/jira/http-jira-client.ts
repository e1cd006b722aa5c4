import type { WorkflowStatus } from '../../domain/work-item/workflow.js';
import type { Logger } from '../../ports/logger.js';
import { GuardedHttps } from '../connectors/guarded-https.js';
import type { GuardedHttpsOptions } from '../connectors/guarded-https.js';
import { RetryingHttps } from '../connectors/retrying-https.js';
import type { RetryingHttpsOptions } from '../connectors/retrying-https.js';
import type {
  JiraAccount,
  JiraClient,
  JiraSearchPage,
  JiraTarget,
} from './jira-client.js';
import { JiraCloudApi } from './jira-cloud-api.js';
import type { JiraDialect } from './jira-dialect.js';
import {
  myselfSchema,
  statusCategoryOf,
  statusListSchema,
} from './jira-responses.js';
import { JiraServerApi } from './jira-server-api.js';
import { JiraSession } from './jira-session.js';

export interface HttpJiraClientOptions
  extends
    GuardedHttpsOptions,
    Pick<RetryingHttpsOptions, 'retry' | 'sleep' | 'now' | 'random'> {
  logger: Logger;
  /** Issues per search page on Jira Cloud (its largest is 100). */
  cloudPageSize?: number;
  /** Issues per page on Jira Server, whose changelogs come whole. */
  serverPageSize?: number;
  /** Issues each Server page asks for again; see server-paging.ts. */
  serverPageOverlap?: number;
  /** Cut changelogs read at the same time. */
  changelogConcurrency?: number;
}

/**
 * The JiraClient that speaks to real sites, Cloud and Server alike, over
 * GuardedHttps. One instance serves every connection; `close()` ends the
 * sockets it keeps open between pages.
 */
export class HttpJiraClient implements JiraClient {
  private readonly guarded: GuardedHttps;
  private readonly http: RetryingHttps;
  private readonly cloud: JiraCloudApi;
  private readonly server: JiraServerApi;

  constructor(options: HttpJiraClientOptions) {
    const { logger } = options;
    this.guarded = new GuardedHttps(options);
    this.http = new RetryingHttps({ ...options, https: this.guarded });
    const changelogConcurrency = options.changelogConcurrency ?? 4;
    this.cloud = new JiraCloudApi({
      pageSize: options.cloudPageSize ?? 100,
      changelogConcurrency,
      logger,
    });
    this.server = new JiraServerApi({
      pageSize: options.serverPageSize ?? 50,
      overlap: options.serverPageOverlap ?? 5,
      changelogConcurrency,
      logger,
    });
  }

  async myself(target: JiraTarget): Promise<JiraAccount> {
    const account = await this.session(target).read(
      {
        method: 'GET',
        path: this.dialect(target).myselfPath,
        operation: 'myself',
      },
      myselfSchema,
      { shapeFailure: 'not_jira' },
    );

    return {
      accountId: (account.accountId ?? account.key ?? account.name)!,
      displayName: account.displayName,
      timeZone: account.timeZone,
    };
  }

  async statuses(target: JiraTarget): Promise<WorkflowStatus[]> {
    const statuses = await this.session(target).read(
      {
        method: 'GET',
        path: this.dialect(target).statusesPath,
        operation: 'statuses',
      },
      statusListSchema,
    );

    return statuses.map((status) => ({
      id: status.id,
      name: status.name,
      category: statusCategoryOf(status.statusCategory.key),
    }));
  }

  async search(
    target: JiraTarget,
    jql: string,
    cursor?: string,
  ): Promise<JiraSearchPage> {
    return this.dialect(target).search(this.session(target), jql, cursor);
  }

  /** Checks a URL and the addresses it resolves to, without a request. */
  async checkTarget(baseUrl: string): Promise<void> {
    await this.guarded.checkTarget(baseUrl);
  }

  close(): void {
    this.guarded.close();
  }

  private session(target: JiraTarget): JiraSession {
    return new JiraSession(this.http, target);
  }

  private dialect(target: JiraTarget): JiraDialect {
    return target.kind === 'jira-cloud' ? this.cloud : this.server;
  }
}

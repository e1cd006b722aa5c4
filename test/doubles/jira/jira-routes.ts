import type { DoublePerson, StoredIssue } from './double-issues.js';
import { renderStatus } from './double-statuses.js';
import type { DoubleStatus } from './double-statuses.js';
import type { IssueRenderer, JiraKind } from './issue-rendering.js';
import { JqlError, parseJql } from './jql-filter.js';
import type { DoubleIssues } from './double-issues.js';

export interface DoubleAnswer {
  status: number;
  headers: Record<string, string>;
  contentType: string;
  body: string;
}

/** What the routes read of the double; it changes between requests. */
export interface DoubleSite {
  readonly kind: JiraKind;
  readonly issues: DoubleIssues;
  readonly statuses: DoubleStatus[];
  readonly timeZone: string;
  readonly inlineChangelogLimit: number;
}

export interface RouteSettings {
  maxPageSize: number;
}

const json = 'application/json;charset=UTF-8';

/**
 * The REST resources sync uses, per Jira kind: `/myself`, `/status`,
 * search (`POST /search/jql` on Cloud, `GET /search` on Server), and an
 * issue's changelog (`/issue/{id}/changelog` on Cloud only, as on Data
 * Center 9, where it is a 404; `/issue/{id}?expand=changelog` on both).
 */
export class JiraRoutes {
  private readonly api: string;

  constructor(
    private readonly site: DoubleSite,
    private readonly renderer: IssueRenderer,
    private readonly account: DoublePerson,
    private readonly settings: RouteSettings,
  ) {
    this.api = site.kind === 'jira-cloud' ? '/rest/api/3' : '/rest/api/2';
  }

  answer(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
  ): DoubleAnswer {
    const cloud = this.site.kind === 'jira-cloud';
    const route = `${method} ${path}`;
    const issuePath = new RegExp(
      `^GET ${this.api}/issue/([^/]+)(/changelog)?$`,
    );
    const issue = issuePath.exec(route);

    if (route === `GET ${this.api}/myself`) return ok(this.myself());
    if (route === `GET ${this.api}/status`) return ok(this.statusList());
    if (cloud && route === `POST ${this.api}/search/jql`) {
      return this.guarded(() => this.cloudSearch(body));
    }
    if (!cloud && route === `GET ${this.api}/search`) {
      return this.guarded(() => this.serverSearch(query));
    }
    if (issue && (cloud || issue[2] === undefined)) {
      return this.issueResource(
        decodeURIComponent(issue[1]!),
        issue[2] !== undefined,
        query,
      );
    }

    return notFound(`null for uri: ${path}`);
  }

  private myself(): object {
    return {
      ...this.renderer.person(this.account),
      emailAddress: 'sync@acme.example',
      locale: 'en_US',
      groups: { size: 1, items: [] },
      applicationRoles: { size: 1, items: [] },
      expand: 'groups,applicationRoles',
    };
  }

  private statusList(): object[] {
    return this.site.statuses.map((status) =>
      renderStatus(status, this.renderer.apiUrl),
    );
  }

  private cloudSearch(body: unknown): DoubleAnswer {
    const request = (body ?? {}) as {
      jql?: string;
      nextPageToken?: string;
      maxResults?: number;
      fields?: string[];
      expand?: string;
    };
    const matching = this.matching(request.jql ?? '');
    const from =
      request.nextPageToken === undefined
        ? 0
        : afterToken(matching, request.nextPageToken);
    const size = this.pageSize(request.maxResults);
    const page = matching.slice(from, from + size);
    const last = page.at(-1);
    const more = from + page.length < matching.length && last !== undefined;

    return this.page(
      { ...(more ? { nextPageToken: tokenAfter(last) } : {}), isLast: !more },
      page,
      request.fields,
      request.expand,
    );
  }

  private serverSearch(query: URLSearchParams): DoubleAnswer {
    const matching = this.matching(query.get('jql') ?? '');
    const startAt = Number(query.get('startAt') ?? 0);
    const maxResults = this.pageSize(Number(query.get('maxResults') ?? 50));
    const page = matching.slice(startAt, startAt + maxResults);
    const fields = query.get('fields')?.split(',');

    return this.page(
      { expand: 'schema,names', startAt, maxResults, total: matching.length },
      page,
      fields,
      query.get('expand') ?? undefined,
    );
  }

  private issueResource(
    idOrKey: string,
    changelogOnly: boolean,
    query: URLSearchParams,
  ): DoubleAnswer {
    const stored = this.site.issues.find(idOrKey);
    if (!stored)
      return notFound(
        'Issue does not exist or you do not have permission to see it.',
      );

    if (changelogOnly) {
      const startAt = Number(query.get('startAt') ?? 0);
      const maxResults = Math.min(100, Number(query.get('maxResults') ?? 100));
      return ok(this.renderer.changelogPage(stored.issue, startAt, maxResults));
    }

    const expand = query.get('expand')?.split(',').includes('changelog');
    // The issue resource cuts no changelog on Server; Cloud cuts as search.
    const limit =
      this.site.kind === 'jira-cloud'
        ? this.site.inlineChangelogLimit
        : Number.POSITIVE_INFINITY;
    const fields = query.get('fields')?.split(',');

    return {
      status: 200,
      headers: {},
      contentType: json,
      body: this.renderer.issueJson(stored, fields, expand ? limit : undefined),
    };
  }

  private matching(jql: string): StoredIssue[] {
    const filter = parseJql(
      jql,
      this.site.timeZone,
      this.site.issues.projectKeys,
    );

    return this.site.issues
      .inOrder()
      .filter((stored) => filter.matches(stored.issue));
  }

  private pageSize(asked: number | undefined): number {
    const size = asked === undefined || Number.isNaN(asked) ? 50 : asked;

    return Math.max(1, Math.min(size, this.settings.maxPageSize));
  }

  /** A search page, joined from the issues' ready JSON. */
  private page(
    meta: object,
    issues: StoredIssue[],
    fields: readonly string[] | undefined,
    expand: string | undefined,
  ): DoubleAnswer {
    const inline = expand?.split(',').includes('changelog')
      ? this.site.inlineChangelogLimit
      : undefined;
    const rendered = issues.map((stored) =>
      this.renderer.issueJson(stored, fields, inline),
    );
    const head = JSON.stringify(meta).slice(0, -1);
    const separator = head === '{' ? '' : ',';

    return {
      status: 200,
      headers: {},
      contentType: json,
      body: `${head}${separator}"issues":[${rendered.join(',')}]}`,
    };
  }

  private guarded(answer: () => DoubleAnswer): DoubleAnswer {
    try {
      return answer();
    } catch (error) {
      if (!(error instanceof JqlError)) throw error;
      return {
        status: 400,
        headers: {},
        contentType: json,
        body: JSON.stringify({ errorMessages: [error.message], errors: {} }),
      };
    }
  }
}

/** Cloud's token: where the last page ended, by `created` and id. */
function tokenAfter(stored: StoredIssue): string {
  return Buffer.from(
    JSON.stringify([stored.issue.created, Number(stored.issue.id)]),
  ).toString('base64url');
}

function afterToken(matching: StoredIssue[], token: string): number {
  let created: number;
  let id: number;
  try {
    [created, id] = JSON.parse(Buffer.from(token, 'base64url').toString()) as [
      number,
      number,
    ];
  } catch {
    throw new JqlError('The nextPageToken is not valid.');
  }
  const index = matching.findIndex(
    ({ issue }) =>
      issue.created > created ||
      (issue.created === created && Number(issue.id) > id),
  );

  return index === -1 ? matching.length : index;
}

function ok(value: unknown): DoubleAnswer {
  return {
    status: 200,
    headers: {},
    contentType: json,
    body: JSON.stringify(value),
  };
}

function notFound(message: string): DoubleAnswer {
  return {
    status: 404,
    headers: {},
    contentType: json,
    body: JSON.stringify({ errorMessages: [message], errors: {} }),
  };
}

import type {
  DoubleHistory,
  DoubleIssue,
  DoublePerson,
  StoredIssue,
} from './double-issues.js';
import { defaultReporter } from './double-issues.js';
import { renderStatus } from './double-statuses.js';
import type { DoubleStatus } from './double-statuses.js';
import { formatJiraTimestamp } from './jira-time.js';

export type JiraKind = 'jira-cloud' | 'jira-server';

export interface RenderSettings {
  kind: JiraKind;
  /** `https://host:port[/context]`. */
  siteUrl: string;
  timeZone: string;
  statuses: ReadonlyMap<string, DoubleStatus>;
}

/**
 * Renders issues in the REST shapes of Jira Cloud (v3) and Server (v2),
 * modelled on the `issue` objects of the captured webhooks in
 * ../shared/fixtures/jira. Each rendering of an issue is kept until the
 * issue changes, so a page is a join of ready strings.
 */
export class IssueRenderer {
  readonly apiUrl: string;

  constructor(private readonly settings: RenderSettings) {
    const version = settings.kind === 'jira-cloud' ? 3 : 2;
    this.apiUrl = `${settings.siteUrl}/rest/api/${version}`;
  }

  /** The issue with `fields` only, and up to `inline` histories. */
  issueJson(
    stored: StoredIssue,
    fields: readonly string[] | undefined,
    inline: number | undefined,
  ): string {
    const key = `${fields?.join(',') ?? '*all'}|${inline ?? '-'}`;
    let json = stored.rendered.get(key);
    if (json === undefined) {
      json = JSON.stringify(this.issue(stored.issue, fields, inline));
      stored.rendered.set(key, json);
    }

    return json;
  }

  /** A page of `/issue/{id}/changelog`, as Jira Cloud answers it. */
  changelogPage(
    issue: DoubleIssue,
    startAt: number,
    maxResults: number,
  ): object {
    const all = issue.histories;
    const values = all.slice(startAt, startAt + maxResults);
    const end = startAt + values.length;
    const self = `${this.apiUrl}/issue/${issue.key}/changelog`;

    return {
      self: `${self}?startAt=${startAt}&maxResults=${maxResults}`,
      ...(end < all.length
        ? { nextPage: `${self}?startAt=${end}&maxResults=${maxResults}` }
        : {}),
      maxResults,
      startAt,
      total: all.length,
      isLast: end >= all.length,
      values: values.map((history) => this.history(history)),
    };
  }

  person(person: DoublePerson): object {
    const avatarUrls = {
      '48x48': `https://avatars.example.com/${person.id}/48.png`,
      '24x24': `https://avatars.example.com/${person.id}/24.png`,
      '16x16': `https://avatars.example.com/${person.id}/16.png`,
      '32x32': `https://avatars.example.com/${person.id}/32.png`,
    };
    if (this.settings.kind === 'jira-cloud') {
      return {
        self: `${this.apiUrl}/user?accountId=${person.id}`,
        accountId: person.id,
        avatarUrls,
        displayName: person.displayName,
        active: true,
        timeZone: this.settings.timeZone,
        accountType: 'atlassian',
      };
    }

    return {
      self: `${this.apiUrl}/user?username=${person.id}`,
      name: person.id,
      key: person.id,
      emailAddress: `${person.id}@example.com`,
      avatarUrls,
      displayName: person.displayName,
      active: true,
      timeZone: this.settings.timeZone,
    };
  }

  private issue(
    issue: DoubleIssue,
    fields: readonly string[] | undefined,
    inline: number | undefined,
  ): object {
    const all = this.fields(issue);
    const chosen =
      fields === undefined
        ? all
        : Object.fromEntries(
            fields
              .filter((name) => all[name] !== undefined)
              .map((name) => [name, all[name]]),
          );

    return {
      expand:
        'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: issue.id,
      self: `${this.apiUrl}/issue/${issue.id}`,
      key: issue.key,
      ...(inline === undefined
        ? {}
        : { changelog: this.inlineChangelog(issue, inline) }),
      fields: chosen,
    };
  }

  private inlineChangelog(issue: DoubleIssue, limit: number): object {
    const shown = issue.histories.slice(0, limit);

    return {
      startAt: 0,
      maxResults: shown.length,
      total: issue.histories.length,
      histories: shown.map((history) => this.history(history)),
    };
  }

  private history(history: DoubleHistory): object {
    return {
      id: history.id,
      author: this.person(history.author),
      created: this.time(history.created),
      items: history.items.map((item) => ({
        field: item.field,
        fieldtype: 'jira',
        ...(this.settings.kind === 'jira-cloud' ? { fieldId: item.field } : {}),
        from: item.from,
        fromString: item.fromString,
        to: item.to,
        toString: item.toString,
      })),
    };
  }

  /** Every field the double knows; `undefined` ones Jira leaves out. */
  private fields(issue: DoubleIssue): Record<string, unknown> {
    const site = this.settings.siteUrl;

    return {
      summary: issue.summary,
      description: issue.description,
      status: this.status(issue.statusId),
      issuetype: {
        self: `${this.apiUrl}/issuetype/${issue.issueType.id}`,
        id: issue.issueType.id,
        description: '',
        iconUrl: `${site}/images/icons/issuetypes/story.svg`,
        name: issue.issueType.name,
        subtask: false,
        avatarId: 10315,
        hierarchyLevel: 0,
      },
      project: {
        self: `${this.apiUrl}/project/${issue.project.id}`,
        id: issue.project.id,
        key: issue.project.key,
        name: issue.project.name,
        projectTypeKey: 'software',
        simplified: false,
      },
      created: this.time(issue.created),
      updated: this.time(issue.updated),
      resolutiondate:
        issue.resolved === undefined ? null : this.time(issue.resolved),
      assignee: issue.assignee ? this.person(issue.assignee) : null,
      reporter: this.person(defaultReporter),
      priority: issue.priority
        ? {
            self: `${this.apiUrl}/priority/${issue.priority.id}`,
            iconUrl: `${site}/images/icons/priorities/medium.svg`,
            name: issue.priority.name,
            id: issue.priority.id,
          }
        : null,
      parent: issue.parent
        ? {
            id: issue.parent.id,
            key: issue.parent.key,
            self: `${this.apiUrl}/issue/${issue.parent.id}`,
          }
        : undefined,
      labels: ['customer-facing'],
      customfield_10016: 3,
    };
  }

  private status(id: string): object {
    const status = this.settings.statuses.get(id) ?? {
      id,
      name: `Status ${id}`,
      category: 'undefined' as const,
    };

    return renderStatus(status, this.apiUrl);
  }

  private time(instant: number): string {
    return formatJiraTimestamp(instant, this.settings.timeZone);
  }
}

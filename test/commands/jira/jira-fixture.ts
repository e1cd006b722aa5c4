import { HttpJiraClient } from '../../../src/commands/jira/http-jira-client.js';
import type { HttpJiraClientOptions } from '../../../src/commands/jira/http-jira-client.js';
import type {
  JiraSearchPage,
  JiraTarget,
} from '../../../src/commands/jira/jira-client.js';
import type { JiraIssue } from '../../../src/commands/jira/jira-issue.js';
import { JiraDouble } from '../../doubles/jira/jira-double.js';
import type { JiraDoubleOptions } from '../../doubles/jira/jira-double.js';
import { capturedLogger } from '../../support/captured-logger.js';
import type { CapturedLogger } from '../../support/captured-logger.js';

export interface JiraFixture {
  double: JiraDouble;
  client: HttpJiraClient;
  target: JiraTarget;
  /** Every wait the client asked for; none is actually waited. */
  sleeps: number[];
  log: CapturedLogger;
  /** Pages through a search to its end, doing `between` after each page. */
  searchAll(
    jql: string,
    between?: (page: JiraSearchPage, index: number) => void,
  ): Promise<JiraIssue[]>;
  dispose(): Promise<void>;
}

export const syncJql = 'updated >= "2000/01/01 00:00" ORDER BY created ASC';

/** A double of the kind asked, and a client allowed to reach it. */
export async function jiraFixture(
  options: JiraDoubleOptions,
  clientOptions: Partial<HttpJiraClientOptions> = {},
): Promise<JiraFixture> {
  const double = await JiraDouble.start(options);
  const sleeps: number[] = [];
  const log = capturedLogger();
  const client = new HttpJiraClient({
    logger: log.logger,
    allowPrivateTargets: true,
    timeoutMs: 2000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...clientOptions,
  });
  const target = double.target();

  return {
    double,
    client,
    target,
    sleeps,
    log,
    searchAll: async (jql, between) => {
      const issues: JiraIssue[] = [];
      let cursor: string | undefined;
      for (let index = 0; ; index += 1) {
        const page = await client.search(target, jql, cursor);
        issues.push(...page.issues);
        if (page.next === undefined) return issues;
        between?.(page, index);
        cursor = page.next;
      }
    },
    dispose: async () => {
      client.close();
      await double.close();
    },
  };
}

/** `count` issues a second apart, each with `histories` status changes. */
export function addIssues(
  double: JiraDouble,
  count: number,
  histories = 0,
  start = Date.parse('2026-03-01T08:00:00Z'),
): string[] {
  const ids: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const created = start + n * 1000;
    const issue = double.issues.add({ created });
    for (let h = 0; h < histories; h += 1) {
      issue.histories.push(
        double.issues.history(created + (h + 1) * 60_000, [
          {
            field: 'status',
            from: h % 2 === 0 ? '1' : '3',
            fromString: h % 2 === 0 ? 'To Do' : 'In Progress',
            to: h % 2 === 0 ? '3' : '1',
            toString: h % 2 === 0 ? 'In Progress' : 'To Do',
          },
        ]),
      );
    }
    ids.push(issue.id);
  }

  return ids;
}

import type { ChangelogHistory, JiraIssue } from './jira-issue.js';

/**
 * Every history of one issue, oldest first, or `undefined` when the issue
 * is gone by the time it is asked for.
 */
export type FullChangelogReader = (
  issue: JiraIssue,
) => Promise<ChangelogHistory[] | undefined>;

/**
 * Search results carry only the first histories of a long changelog
 * (Jira Cloud cuts at 100, or fewer). Here each cut changelog is read in
 * full, a few issues at a time; an issue deleted meanwhile leaves the
 * page, as it would have had it been deleted a moment earlier.
 */
export async function completeChangelogs(
  issues: JiraIssue[],
  readFull: FullChangelogReader,
  concurrency: number,
): Promise<JiraIssue[]> {
  const completed = new Array<JiraIssue | undefined>(issues.length);
  let next = 0;

  const work = async () => {
    while (next < issues.length) {
      const index = next;
      next += 1;
      completed[index] = await completeOne(issues[index]!, readFull);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, concurrency) }, () => work()),
  );

  return completed.filter((issue): issue is JiraIssue => issue !== undefined);
}

/** A changelog is cut when Jira says there are more than it sent. */
export function isChangelogCut(issue: JiraIssue): boolean {
  const changelog = issue.changelog;
  if (changelog === undefined) return true;

  const { total, startAt = 0, histories } = changelog;

  return startAt > 0 || (total !== undefined && total > histories.length);
}

async function completeOne(
  issue: JiraIssue,
  readFull: FullChangelogReader,
): Promise<JiraIssue | undefined> {
  if (!isChangelogCut(issue)) return issue;

  const full = await readFull(issue);
  if (full === undefined) return undefined;

  const histories = mergedHistories(full, issue.changelog?.histories ?? []);

  return {
    ...issue,
    changelog: {
      startAt: 0,
      maxResults: histories.length,
      total: histories.length,
      histories,
    },
  };
}

/**
 * The full read, plus any inline history it lacks (one written between
 * the two reads), oldest first; ids break ties, numerically as Jira
 * numbers them.
 */
function mergedHistories(
  full: ChangelogHistory[],
  inline: ChangelogHistory[],
): ChangelogHistory[] {
  const byId = new Map(full.map((history) => [history.id, history]));
  for (const history of inline) {
    if (!byId.has(history.id)) byId.set(history.id, history);
  }

  return [...byId.values()].sort(
    (a, b) =>
      byText(a.created, b.created) ||
      a.id.length - b.id.length ||
      byText(a.id, b.id),
  );
}

function byText(a: string, b: string): number {
  if (a === b) return 0;

  return a < b ? -1 : 1;
}

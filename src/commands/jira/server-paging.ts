import type { JiraIssue } from './jira-issue.js';
import type { ServerCursor } from './search-cursor.js';

/** What Jira Server answered for one offset. */
export interface ServerWindow {
  startAt: number;
  total: number;
  issues: JiraIssue[];
}

export type ServerWindowReading =
  | { kind: 'step_back'; startAt: number }
  | { kind: 'page'; issues: JiraIssue[]; next: ServerCursor | undefined };

export interface ServerPagingSettings {
  /** How many issues of a page the next one asks for again. */
  overlap: number;
  /** Whether the JQL orders by `created` ascending, as sync's does. */
  orderedByCreated: boolean;
}

/**
 * Offsets shift when issues ahead of the offset leave the results between
 * two pages (deleted, moved out of the query), and issues with the same
 * `created` may swap places when Jira reindexes one. Under
 * `ORDER BY created ASC` both are caught:
 *
 * - each page asks again for the last few issues of the one before, so
 *   its first issue is one already returned (created before the last
 *   `created` returned, or one of the ids returned at it);
 * - when it is not, the offset moved past issues not yet returned, and
 *   the page is asked again from further back;
 * - issues created before the last `created` returned, or returned at
 *   it, are dropped: they were returned earlier in this run.
 *
 * Issues that start matching mid-run were updated after the run began, so
 * the next sync's `updated >=` finds them. Under another order the pages
 * follow the offsets as Jira gives them.
 */
export function readServerWindow(
  cursor: ServerCursor,
  window: ServerWindow,
  settings: ServerPagingSettings,
): ServerWindowReading {
  if (!settings.orderedByCreated) return followOffsets(cursor, window);

  if (window.startAt > 0 && !reachesBack(cursor, window.issues[0])) {
    return {
      kind: 'step_back',
      startAt: Math.max(0, window.startAt - cursor.pageSize),
    };
  }

  return {
    kind: 'page',
    issues: window.issues.filter((issue) => isNew(cursor, issue)),
    next: nextCursor(cursor, window, settings.overlap),
  };
}

/** The JQL shape sync sends, whose last clause orders by creation. */
export function ordersByCreatedAscending(jql: string): boolean {
  return /\border\s+by\s+created\s+asc\s*$/i.test(jql);
}

function reachesBack(
  cursor: ServerCursor,
  first: JiraIssue | undefined,
): boolean {
  const { lastCreated, idsAtLastCreated } = cursor;
  if (lastCreated === undefined) return true;
  if (first === undefined) return false;

  const created = first.fields.created;

  return (
    created < lastCreated ||
    (created === lastCreated && idsAtLastCreated.includes(first.id))
  );
}

function isNew(cursor: ServerCursor, issue: JiraIssue): boolean {
  const { lastCreated, idsAtLastCreated } = cursor;
  if (lastCreated === undefined) return true;

  const created = issue.fields.created;

  return (
    created > lastCreated ||
    (created === lastCreated && !idsAtLastCreated.includes(issue.id))
  );
}

function nextCursor(
  cursor: ServerCursor,
  window: ServerWindow,
  overlap: number,
): ServerCursor | undefined {
  const { issues, startAt, total } = window;
  const last = issues.at(-1);
  const end = startAt + issues.length;
  if (last === undefined || end >= total) return undefined;

  const previous = cursor.lastCreated;
  const lastCreated =
    previous === undefined || last.fields.created > previous
      ? last.fields.created
      : previous;
  const carried = lastCreated === previous ? cursor.idsAtLastCreated : [];
  const atLast = issues
    .filter((issue) => issue.fields.created === lastCreated)
    .map((issue) => issue.id);

  // Half a page at most, so each page moves on; a page of one issue
  // cannot overlap, and the next is then taken on trust.
  const overlapping = Math.min(overlap, Math.floor(issues.length / 2));

  return {
    kind: 'server',
    startAt: end - overlapping,
    pageSize: cursor.pageSize,
    overlapping: overlapping > 0,
    lastCreated,
    idsAtLastCreated: [...new Set([...carried, ...atLast])],
  };
}

function followOffsets(
  cursor: ServerCursor,
  window: ServerWindow,
): ServerWindowReading {
  const end = window.startAt + window.issues.length;
  const more = window.issues.length > 0 && end < window.total;

  return {
    kind: 'page',
    issues: window.issues,
    next: more ? { ...cursor, startAt: end } : undefined,
  };
}

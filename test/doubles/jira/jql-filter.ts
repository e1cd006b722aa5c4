import type { DoubleIssue } from './double-issues.js';
import { instantOfWallTime } from './jira-time.js';

/** A query the double refuses, as Jira does, with a 400. */
export class JqlError extends Error {}

export interface JqlFilter {
  matches(issue: DoubleIssue): boolean;
}

type Clause = (issue: DoubleIssue) => boolean;

/**
 * The JQL sync sends, and no more:
 * `updated >= "yyyy/MM/dd HH:mm" [AND project in (A, B)] ORDER BY created ASC`.
 * Dates are read in `zone`, to the minute, as Jira reads them in the
 * user's zone. `created` may stand for `updated`, `project = A` for `in`.
 */
export function parseJql(
  jql: string,
  zone: string,
  projectKeys: ReadonlySet<string>,
): JqlFilter {
  const [where = '', order] = jql.trim().split(/(?:^|\s+)order\s+by\s+/i);
  if (order !== undefined && !/^created\s+asc$/i.test(order.trim())) {
    throw new JqlError(`The double cannot order by ${order.trim()}`);
  }

  const clauses =
    where.trim() === ''
      ? []
      : where
          .trim()
          .split(/\s+and\s+/i)
          .map((text) => clause(text, zone, projectKeys));

  return { matches: (issue) => clauses.every((test) => test(issue)) };
}

function clause(
  text: string,
  zone: string,
  projectKeys: ReadonlySet<string>,
): Clause {
  const date = /^(updated|created)\s*(>=|>)\s*"([^"]*)"$/i.exec(text);
  if (date) {
    const field = date[1]!.toLowerCase() as 'updated' | 'created';
    const from = instantOfJqlDate(date[3]!, zone);
    return date[2] === '>='
      ? (issue) => issue[field] >= from
      : (issue) => issue[field] >= from + 60_000;
  }

  const within = /^project\s+in\s+\(([^)]*)\)$/i.exec(text);
  const equal = /^project\s*=\s*(.+)$/i.exec(text);
  const keys = within ? within[1]!.split(',') : equal ? [equal[1]!] : undefined;
  if (keys) {
    const wanted = new Set(keys.map((key) => unquoted(key)));
    for (const key of wanted) {
      if (!projectKeys.has(key)) {
        throw new JqlError(
          `The value '${key}' does not exist for the field 'project'.`,
        );
      }
    }
    return (issue) => wanted.has(issue.project.key);
  }

  throw new JqlError(`The double does not understand "${text}"`);
}

function instantOfJqlDate(text: string, zone: string): number {
  const match =
    /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(
      text.trim(),
    );
  if (!match) throw new JqlError(`Date value '${text}' for field is invalid.`);

  const [, year, month, day, hour = '0', minute = '0'] = match;

  return instantOfWallTime(
    {
      year: Number(year),
      month: Number(month),
      day: Number(day),
      hour: Number(hour),
      minute: Number(minute),
    },
    zone,
  );
}

function unquoted(text: string): string {
  return text.trim().replace(/^"(.*)"$/, '$1');
}

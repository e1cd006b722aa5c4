/** JQL reads a date in the zone of the user who asks, to the minute. */
export interface SyncQuery {
  /** Ask for issues updated at or after this instant; null for all. */
  since: string | null;
  /** Read further back by this much: clocks and minutes are coarse. */
  overlapMs: number;
  /** The Jira user's zone, when Jira says it. */
  timeZone: string | undefined;
  /** Project keys to keep to; empty for every project. */
  projects: readonly string[];
}

/** The most any zone is behind UTC: UTC-12:00. */
const furthestBehindUtcMs = 12 * 60 * 60 * 1000;

/**
 * `updated >= "<since>" ... ORDER BY created ASC`. Ordering by creation
 * keeps an issue that is updated while the pages are read in its place,
 * so paging neither skips nor repeats it. Even a first sync names a
 * date, because Jira Cloud refuses an unbounded search.
 */
export function syncJql(query: SyncQuery): string {
  const since = query.since === null ? 0 : Date.parse(query.since);
  const from = new Date(Math.max(0, since - query.overlapMs));

  const clauses = [`updated >= "${jqlDate(from, query.timeZone)}"`];
  if (query.projects.length > 0) {
    clauses.push(`project in (${query.projects.join(', ')})`);
  }

  return `${clauses.join(' AND ')} ORDER BY created ASC`;
}

/**
 * The instant as a JQL date in the user's zone, rounded down to the
 * minute. Without a known zone, the date is read back as far as any
 * zone could put it, so nothing is missed.
 */
export function jqlDate(instant: Date, timeZone: string | undefined): string {
  const zone = knownZone(timeZone);
  const shifted =
    zone === undefined
      ? new Date(Math.max(0, +instant - furthestBehindUtcMs))
      : instant;

  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone ?? 'UTC',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(shifted);
  const part = (type: string) => parts.find((p) => p.type === type)?.value;

  return `${part('year')}/${part('month')}/${part('day')} ${part('hour')}:${part('minute')}`;
}

function knownZone(timeZone: string | undefined): string | undefined {
  if (timeZone === undefined) return undefined;

  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

import type {
  EventData,
  EventMetadata,
  RecordedEvent,
} from '../../ports/event-store.js';

/**
 * One page of the log as a single JSON text, built by SQLite: an array of
 * [position, id, stream_name, revision, type, data, metadata,
 * recorded_at] entries. The data and metadata columns are spliced in as
 * they are stored, which is only sound when each is valid JSON: `valid`
 * says whether every row's are. Empty pages have no text.
 */
export const logPageQuery = `
  SELECT
    '[' || group_concat('[' || position || ',' || json_quote(id) || ','
      || json_quote(stream_name) || ',' || revision || ','
      || json_quote(type) || ',' || data || ',' || metadata || ','
      || recorded_at || ']', ',') || ']' AS text,
    COUNT(*) AS count,
    MIN(json_valid(data) AND json_valid(metadata)) AS valid,
    MAX(position) AS lastPosition,
    MAX(revision) AS highestRevision
  FROM (SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?)`;

/** What the page query answers, read with safe integers. */
export interface LogPageRow {
  text: string | null;
  count: bigint;
  valid: bigint | null;
  lastPosition: bigint | null;
  highestRevision: bigint | null;
}

type PageEntry = [
  position: number,
  id: string,
  streamName: string,
  revision: number,
  type: string,
  data: EventData,
  metadata: EventMetadata,
  recordedAt: number,
];

const largestExact = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The page's text when it can stand for the rows: every row's JSON valid,
 * and every integer exact as a JSON number. Otherwise undefined.
 */
export function textOfPage(page: LogPageRow): string | undefined {
  if (page.count === 0n) return '[]';

  const exact = (value: bigint | null) =>
    value !== null && value <= largestExact;
  if (page.valid !== 1n || page.text === null) return undefined;
  if (!exact(page.lastPosition) || !exact(page.highestRevision)) {
    return undefined;
  }

  return page.text;
}

/** A page as the log reader's thread sent it: the text after a position. */
export interface PageText {
  after: bigint;
  text: string;
}

/**
 * The events of a page text, or undefined when they are not what the
 * row-by-row read would give: text that JavaScript does not take for
 * JSON, data or metadata that is not an object, or positions out of
 * order. That read then reports the problem.
 */
export function eventsOfPage({
  after,
  text,
}: PageText): RecordedEvent[] | undefined {
  let entries: PageEntry[];
  try {
    entries = JSON.parse(text) as PageEntry[];
  } catch {
    return undefined;
  }

  const events: RecordedEvent[] = [];
  let last = after;
  for (const entry of entries) {
    const [position, id, streamName, revision, type, data, metadata, at] =
      entry;
    const event = {
      id,
      streamName,
      revision: BigInt(revision),
      position: BigInt(position),
      type,
      data,
      metadata,
      recordedAt: new Date(at),
    };
    if (event.position <= last || !isObject(data) || !isObject(metadata)) {
      return undefined;
    }

    events.push(event);
    last = event.position;
  }

  return events;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { InvalidIndexError } from './errors.js';

/**
 * The read store port: a narrow subset of a MongoDB collection. Analytics
 * are precomputed by projections and finished in application code, so
 * nothing here needs aggregation pipelines or transactions; a TTL index,
 * where a store has one, is only ever a second line behind a sweep.
 */

/** A value a filter, a sort or an index can work with. */
export type Scalar = string | number | boolean | null;

export type FieldValue = Scalar | FieldValue[] | { [key: string]: FieldValue };

/**
 * A stored document. `_version` is kept by the store: 1 when the document
 * is created, one more on every applied write. Field names that
 * start with `_` are the store's; documents may not use others.
 */
export interface ReadDocument {
  _id: string;
  _version?: number;
  [field: string]: FieldValue | undefined;
}

/** Conditions on one field; all given conditions must hold. */
export interface FieldCondition {
  $eq?: Scalar;
  $in?: Scalar[];
  $gt?: Scalar;
  $gte?: Scalar;
  $lt?: Scalar;
  $lte?: Scalar;
}

/** Fields, top-level or dotted, with a value (equality) or conditions. */
export type Filter = Record<string, Scalar | FieldCondition>;

export type SortDirection = 1 | -1;

export interface FindOptions {
  /**
   * Field order; `_id` is added last, so pages are stable. Sort on fields
   * that every matching document has: the SQLite adapter cannot page past
   * a missing value.
   */
  sort?: [field: string, direction: SortDirection][];
  limit?: number;
  /** The `next` cursor of the previous page. */
  cursor?: string;
  /**
   * Only these top-level fields of each document, beside `_id`,
   * `_version` and the top-level fields the sort names (a cursor needs
   * them). `[]` reads ids and versions alone: enough to tell which
   * documents changed without reading them whole.
   */
  fields?: readonly string[];
}

/**
 * The top-level fields a find with `fields` returns: those asked for and
 * those the sort names. Fields of the store (`_id`, `_version` and any
 * other that starts with `_`) are not the caller's to pick: the first two
 * are always there, the others never.
 */
export function projectedFields(
  fields: readonly string[],
  sort: readonly [string, SortDirection][],
): string[] {
  const named = [...fields, ...sort.map(([field]) => field.split('.')[0]!)];

  return [...new Set(named)].filter((field) => !field.startsWith('_'));
}

export interface Page<Doc> {
  items: Doc[];
  /** Present when more documents may follow. Opaque. */
  next?: string;
}

/** Field paths may be dotted (`counts.todo`); missing parents are made. */
export interface Update {
  $set?: Record<string, FieldValue>;
  $inc?: Record<string, number>;
  $max?: Record<string, Scalar>;
  $min?: Record<string, Scalar>;
}

export interface UpdateOptions {
  /** Create the document when it is missing. */
  upsert?: boolean;
  /**
   * The global log position of the event causing this update. The document
   * remembers the last position applied to it; an update at or below that
   * position is skipped, which makes replayed events harmless.
   */
  position?: bigint;
}

export type UpdateResult = 'applied' | 'skipped' | 'missing';

export type InsertResult = 'inserted' | 'duplicate';

/** What the writer believes the version of a document is. */
export type ExpectedVersion = 'absent' | number;

export type ReplaceResult =
  | { kind: 'written'; version: number }
  | { kind: 'version-mismatch'; actual: ExpectedVersion };

export interface IndexSpec {
  name: string;
  fields: [field: string, direction: SortDirection][];
  unique?: boolean;
  /**
   * Lets the store delete a document by itself this many seconds after
   * the instant its one field holds (an ISO 8601 string, as
   * `Date.toISOString` writes it), where the store can: MongoDB, through
   * a TTL index. The field still reads back as the string written. The
   * SQLite adapter keeps a plain index, FerretDB has no TTL indexes, and
   * MongoDB itself deletes about once a minute, when it gets to it: data
   * that must go at its expiry is deleted by a sweep of its owner, and
   * this index is a second line, never the only one. Only for an index
   * of one top-level field, ascending, not unique.
   */
  expireAfterSeconds?: number;
}

/**
 * The field whose instant lets the store delete documents, for an index
 * that asks for it; undefined for any other. Throws InvalidIndexError
 * for an expiring index of another shape than IndexSpec allows.
 */
export function expiringFieldOf(index: IndexSpec): string | undefined {
  const { expireAfterSeconds: seconds, fields, unique } = index;
  if (seconds === undefined) return undefined;

  const [only, ...others] = fields;
  const fits =
    Number.isSafeInteger(seconds) &&
    seconds >= 0 &&
    only !== undefined &&
    others.length === 0 &&
    only[1] === 1 &&
    /^[A-Za-z][A-Za-z0-9_]*$/.test(only[0]) &&
    unique !== true;
  if (!fits || only === undefined) throw new InvalidIndexError(index.name);

  return only[0];
}

/** One collection of documents of one shape. */
export interface ReadCollection<Doc extends ReadDocument> {
  get(id: string): Promise<Doc | undefined>;

  /** A unique-index clash is returned as 'duplicate', not thrown. */
  insert(doc: Doc): Promise<InsertResult>;

  /**
   * Replaces the whole document if it is at the expected version; 'absent'
   * expects no document with that id.
   */
  replace(doc: Doc, expected: ExpectedVersion): Promise<ReplaceResult>;

  update(
    id: string,
    update: Update,
    options?: UpdateOptions,
  ): Promise<UpdateResult>;

  /**
   * Documents matching every condition of the filter. Compare values of
   * one type only: the stores order mixed types differently.
   */
  find(filter: Filter, options?: FindOptions): Promise<Page<Doc>>;

  deleteMany(filter: Filter): Promise<number>;

  /** Creates the indexes that do not exist yet; safe to call each start. */
  ensureIndexes(indexes: IndexSpec[]): Promise<void>;
}

export interface ReadStore {
  collection<Doc extends ReadDocument>(name: string): ReadCollection<Doc>;

  /**
   * Runs work whose writes are committed together where the store can do
   * so (SQLite: one transaction, so a projection's checkpoint and the
   * documents it covers land at once, and quickly). The work writes
   * through the store it is given, and only while it runs. Elsewhere
   * (MongoDB) the writes land one by one; position guards keep replays
   * harmless. Work that throws is rolled back where the store commits
   * together.
   */
  inBatch<Result>(work: (batch: ReadStore) => Promise<Result>): Promise<Result>;

  /** Answers whether the store can be reached. */
  ping(): Promise<boolean>;

  /**
   * Makes what was deleted unreadable from the store's own files, for
   * data that must be gone for good (expired snapshots). SQLite zeroes
   * freed pages as it deletes, then here moves its log into the main
   * file and empties the log, which still held the old pages. MongoDB
   * gives no such control from a client: there it does nothing, and
   * deletion (with a TTL index as a second line) is what there is.
   */
  purgeDeleted(): Promise<void>;

  close(): Promise<void>;
}

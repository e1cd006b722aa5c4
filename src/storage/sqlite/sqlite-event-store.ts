import type { Statement, Transaction } from 'better-sqlite3';
import { Subject } from 'rxjs';
import type { Observable } from 'rxjs';

import {
  InvalidAppendError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../../ports/errors.js';
import type {
  ActualRevision,
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamReadResult,
  SubscribeOptions,
  SubscriptionMessage,
} from '../../ports/event-store.js';
import { newEventId } from '../../ports/event-id.js';
import { matchesExpectedRevision } from '../../ports/expected-revision.js';
import type { Logger } from '../../ports/logger.js';
import { GroupCommit } from './group-commit.js';
import type { Outcome } from './group-commit.js';
import { toRecordedEvent } from './event-row.js';
import type { EventRow } from './event-row.js';
import { openSqliteDatabase } from './sqlite-database.js';
import type { SqliteDatabase } from './sqlite-database.js';
import { LogReadAhead } from './log-read-ahead.js';
import { SqliteLogReader } from './sqlite-log-reader.js';
import { pollingSubscription } from './sqlite-subscription.js';

/** The events table; the benchmark's raw baseline uses it too. */
export const eventLogSchema = `
  CREATE TABLE IF NOT EXISTS events (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    stream_name TEXT NOT NULL,
    revision INTEGER NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    UNIQUE (stream_name, revision)
  );
`;

const columns =
  'position, id, stream_name, revision, type, data, metadata, recorded_at';

interface AppendRequest {
  streamName: string;
  events: readonly NewEvent[];
  expected: ExpectedRevision;
}

export interface SqliteEventStoreOptions {
  file: string;
  logger: Logger;
  /** How often subscriptions look for appends made by other processes. */
  pollIntervalMs?: number;
  /**
   * Events per page of the log. A subscription holds about two pages at a
   * time; pages near a projection batch keep them short-lived, which
   * spares the garbage collector copying them.
   */
  pageSize?: number;
}

/**
 * The embedded event store: one SQLite file in the data folder. Appends
 * that arrive together commit together (group commit); subscriptions see
 * this process's appends at once and other processes' within a poll. A
 * subscription that is catching up has its next page read ahead on the
 * log reader's thread while it delivers the current one.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: SqliteDatabase;
  private readonly logger: Logger;
  private readonly appended = new Subject<void>();
  private readonly writes: GroupCommit<AppendRequest, AppendResult>;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly pollIntervalMs: number;
  private readonly pageSize: number;
  private readonly logReader: SqliteLogReader;
  private readonly appendAll: Transaction<
    (requests: readonly AppendRequest[]) => Outcome<AppendResult>[]
  >;

  constructor(options: SqliteEventStoreOptions) {
    this.logger = options.logger;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.pageSize = options.pageSize ?? 1000;
    this.db = openSqliteDatabase(options.file);
    this.db.exec(eventLogSchema);
    this.statements = prepareStatements(this.db);
    this.logReader = new SqliteLogReader(options.file, this.logger);
    this.writes = new GroupCommit((requests) => this.commit(requests));

    // Built once: better-sqlite3 turns a nested call into a savepoint.
    const appendOne = this.db.transaction((request: AppendRequest) =>
      this.appendInTransaction(request),
    );
    this.appendAll = this.db.transaction((requests: readonly AppendRequest[]) =>
      requests.map((request): Outcome<AppendResult> => {
        try {
          return { ok: true, value: appendOne(request) };
        } catch (error) {
          return { ok: false, error: this.translate(error, request) };
        }
      }),
    );
  }

  append(
    streamName: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    if (streamName.length === 0) {
      return Promise.reject(new InvalidAppendError('Stream name is empty'));
    }
    if (events.length === 0) {
      return Promise.reject(new InvalidAppendError('No events to append'));
    }

    return this.writes.submit({ streamName, events, expected });
  }

  async readStream(
    streamName: string,
    { direction = 'forwards', fromRevision, maxCount }: ReadStreamOptions = {},
  ): Promise<StreamReadResult> {
    const limit = maxCount ?? -1;
    const rows =
      direction === 'forwards'
        ? this.statements.readForwards.all(
            streamName,
            fromRevision ?? 0n,
            limit,
          )
        : this.statements.readBackwards.all(
            streamName,
            fromRevision ?? BigInt(Number.MAX_SAFE_INTEGER),
            limit,
          );

    if (rows.length > 0) {
      return { streamExists: true, events: rows.map(toRecordedEvent) };
    }

    return this.currentRevision(streamName) === 'no_stream'
      ? { streamExists: false, events: [] }
      : { streamExists: true, events: [] };
  }

  async *readAll({
    after,
    maxCount,
  }: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let last = after ?? 0n;
    let remaining = maxCount ?? Infinity;

    while (remaining > 0) {
      const page = this.readPage(last, Math.min(this.pageSize, remaining));
      for (const event of page) yield event;
      if (page.length < this.pageSize) return;

      last = page[page.length - 1]!.position;
      remaining -= page.length;
    }
  }

  async headPosition(): Promise<bigint | undefined> {
    return this.statements.head.get()?.position ?? undefined;
  }

  /** Events of types not asked for pass by their position alone. */
  subscribe({
    after,
    types,
  }: SubscribeOptions = {}): Observable<SubscriptionMessage> {
    return pollingSubscription({
      after,
      openPages: () =>
        new LogReadAhead({
          pageSize: this.pageSize,
          readHere: (from) => this.readPage(from, this.pageSize),
          readAhead: (from) => this.logReader.read(from, this.pageSize),
          types,
        }),
      wakeUps: this.appended,
      pollIntervalMs: this.pollIntervalMs,
    });
  }

  async close(): Promise<void> {
    this.writes.flush();
    this.appended.complete();
    await this.logReader.close();
    this.db.close();
  }

  private readPage(after: bigint, limit: number): RecordedEvent[] {
    return this.statements.readAll.all(after, limit).map(toRecordedEvent);
  }

  private currentRevision(streamName: string): ActualRevision {
    const row = this.statements.lastRevision.get(streamName);

    return row?.revision ?? 'no_stream';
  }

  /**
   * One write transaction for the whole group; a savepoint per request, so
   * a conflict in one append leaves the others alone.
   */
  private commit(requests: readonly AppendRequest[]): Outcome<AppendResult>[] {
    let outcomes: Outcome<AppendResult>[];
    try {
      outcomes = this.appendAll.immediate(requests);
    } catch (error) {
      this.logger.error({ err: error }, 'event store commit failed');
      throw new StoreUnavailableError('The event store could not commit', {
        cause: error,
      });
    }

    if (outcomes.some((outcome) => outcome.ok)) this.appended.next();

    return outcomes;
  }

  private appendInTransaction({
    streamName,
    events,
    expected,
  }: AppendRequest): AppendResult {
    const replayed = this.earlierAppend(streamName, events);
    if (replayed) return replayed;

    const actual = this.currentRevision(streamName);
    if (!matchesExpectedRevision(expected, actual)) {
      throw new WrongExpectedRevisionError(streamName, expected, actual);
    }

    let revision = actual === 'no_stream' ? -1n : actual;
    let position = 0n;
    const recordedAt = Date.now();
    for (const event of events) {
      revision += 1n;
      const { lastInsertRowid } = this.statements.insert.run(
        event.id ?? newEventId(),
        streamName,
        revision,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        recordedAt,
      );
      position = BigInt(lastInsertRowid);
    }

    return { nextRevision: revision, position };
  }

  /**
   * A retried append carries the ids it had the first time. When all of
   * them are already the stream's events, in order, the first attempt
   * succeeded and its result is the answer.
   */
  private earlierAppend(
    streamName: string,
    events: readonly NewEvent[],
  ): AppendResult | undefined {
    const firstId = events[0]?.id;
    if (firstId === undefined) return undefined;

    const first = this.statements.byId.get(firstId);
    if (!first || first.stream_name !== streamName) return undefined;

    const stored = this.statements.readForwards.all(
      streamName,
      first.revision,
      events.length,
    );
    const same =
      stored.length === events.length &&
      stored.every((row, i) => row.id === events[i]?.id);
    if (!same) return undefined;

    const last = stored[stored.length - 1]!;
    return { nextRevision: last.revision, position: last.position };
  }

  private translate(error: unknown, request: AppendRequest): unknown {
    if (!isSqliteConstraint(error)) return error;

    // The unique (stream, revision) key backs up the revision check; the
    // unique id catches an id reused for a different event.
    if (String(error.message).includes('events.id')) {
      return new InvalidAppendError('An event id is already in the store', {
        cause: error,
      });
    }

    return new WrongExpectedRevisionError(
      request.streamName,
      request.expected,
      this.currentRevision(request.streamName),
    );
  }
}

function isSqliteConstraint(error: unknown): error is Error & { code: string } {
  return (
    error instanceof Error &&
    String((error as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')
  );
}

function prepareStatements(db: SqliteDatabase) {
  const rows = <P extends unknown[]>(sql: string) =>
    (db.prepare(sql) as Statement<P, EventRow>).safeIntegers(true);

  return {
    insert: db.prepare<
      [string, string, bigint, string, string, string, number]
    >(
      `INSERT INTO events (id, stream_name, revision, type, data, metadata,
         recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    readForwards: rows<[string, bigint, number]>(
      `SELECT ${columns} FROM events WHERE stream_name = ? AND revision >= ?
       ORDER BY revision ASC LIMIT ?`,
    ),
    readBackwards: rows<[string, bigint, number]>(
      `SELECT ${columns} FROM events WHERE stream_name = ? AND revision <= ?
       ORDER BY revision DESC LIMIT ?`,
    ),
    readAll: rows<[bigint, number]>(
      `SELECT ${columns} FROM events WHERE position > ?
       ORDER BY position ASC LIMIT ?`,
    ),
    byId: rows<[string]>(`SELECT ${columns} FROM events WHERE id = ?`),
    head: (
      db.prepare('SELECT MAX(position) AS position FROM events') as Statement<
        [],
        { position: bigint | null }
      >
    ).safeIntegers(true),
    lastRevision: (
      db.prepare(
        'SELECT MAX(revision) AS revision FROM events WHERE stream_name = ?',
      ) as Statement<[string], { revision: bigint | null }>
    ).safeIntegers(true),
  };
}

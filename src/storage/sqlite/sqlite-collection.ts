import type { Statement } from 'better-sqlite3';

import { UniqueIndexViolationError } from '../../ports/errors.js';
import { decodeCursor, encodeCursor } from '../../ports/read-cursor.js';
import { expiringFieldOf, projectedFields } from '../../ports/read-store.js';
import type {
  ExpectedVersion,
  Filter,
  FindOptions,
  IndexSpec,
  InsertResult,
  Page,
  ReadCollection,
  ReadDocument,
  ReplaceResult,
  Scalar,
  Update,
  UpdateOptions,
  UpdateResult,
} from '../../ports/read-store.js';
import {
  afterCursorClause,
  fieldExpression,
  fieldJson,
  InvalidFieldError,
  orderByClause,
  whereClause,
  withIdLast,
} from './document-query.js';
import { applyUpdateInPlace } from './document-update.js';
import type { Fields } from './document-update.js';
import type { Writer } from './sqlite-batches.js';
import type { SqliteDatabase } from './sqlite-database.js';
import type { StoredRow, WrittenRows } from './written-rows.js';

/** A row with its version as the number that documents carry. */
interface Row {
  id: string;
  doc: string;
  version: number;
  position: bigint | null;
}

export const collectionPattern = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/**
 * One collection as a table of JSON documents. Its writes go through the
 * writer it is given: one of its own, or the transaction of an open batch.
 * A read-modify-write starts from the row as this connection last wrote
 * it, when it still holds one.
 */
export class SqliteCollection<
  Doc extends ReadDocument,
> implements ReadCollection<Doc> {
  private readonly table: string;
  private readonly statements: ReturnType<SqliteCollection<Doc>['prepare']>;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly writer: Writer,
    private readonly written: WrittenRows,
    private readonly name: string,
  ) {
    this.table = `"rs_${name}"`;
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${this.table} (
         id TEXT PRIMARY KEY,
         doc TEXT NOT NULL,
         version INTEGER NOT NULL,
         position INTEGER
       )`,
    );
    this.statements = this.prepare();
  }

  async get(id: string): Promise<Doc | undefined> {
    const row = this.row(id);

    return row && toDocument<Doc>(row);
  }

  async insert(doc: Doc): Promise<InsertResult> {
    try {
      await this.writer(() => {
        this.statements.insert.run(doc._id, serialise(doc), 1, null);
        this.written.forget(this.name, doc._id);
      });
      return 'inserted';
    } catch (error) {
      if (isConstraint(error)) return 'duplicate';
      throw error;
    }
  }

  async replace(doc: Doc, expected: ExpectedVersion): Promise<ReplaceResult> {
    return this.write(() => {
      const row = this.current(doc._id);
      const actual = row ? Number(row.version) : 'absent';
      if (actual !== expected) return { kind: 'version-mismatch', actual };

      const version = this.store(
        doc._id,
        serialise(doc),
        row,
        row?.position ?? null,
      );
      return { kind: 'written', version: Number(version) };
    });
  }

  update(
    id: string,
    update: Update,
    { upsert = false, position }: UpdateOptions = {},
  ): Promise<UpdateResult> {
    return this.write(() => {
      const row = this.current(id);
      if (!row && !upsert) return 'missing';

      const applied = row?.position ?? null;
      if (position !== undefined && applied !== null && applied >= position) {
        return 'skipped';
      }

      const fields: Fields = row ? JSON.parse(row.doc) : {};
      applyUpdateInPlace(fields, update);
      this.store(id, JSON.stringify(fields), row, position ?? applied);
      return 'applied';
    });
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<Page<Doc>> {
    const sort = withIdLast(options.sort);
    const where = whereClause(filter);
    const after = options.cursor
      ? afterCursorClause(sort, decodeCursor(options.cursor, sort.length))
      : { sql: '1', params: [] };
    const limit = options.limit ?? -1;
    const fields = options.fields && projectedFields(options.fields, sort);
    const columns = fields
      ? fields.map((field, i) => `${fieldJson(field)} AS f${i}`)
      : ['doc'];

    const rows = this.db
      .prepare<unknown[], StoredRow & Record<string, string | null>>(
        `SELECT ${['id', 'version', 'position', ...columns].join(', ')}
         FROM ${this.table}
         WHERE ${where.sql} AND ${after.sql}
         ORDER BY ${orderByClause(sort)} LIMIT ?`,
      )
      .safeIntegers(true)
      .all(...where.params, ...after.params, limit < 0 ? -1 : limit + 1)
      .map((row) =>
        fields
          ? projectedDocument<Doc>(row, fields)
          : toDocument<Doc>(normalise(row)),
      );

    const more = limit >= 0 && rows.length > limit;
    const items = more ? rows.slice(0, limit) : rows;
    const last = items[items.length - 1];

    return more && last
      ? { items, next: encodeCursor(sortValues(last, sort)) }
      : { items };
  }

  async deleteMany(filter: Filter): Promise<number> {
    const where = whereClause(filter);

    const remove = this.db.prepare(
      `DELETE FROM ${this.table} WHERE ${where.sql}`,
    );

    return this.writer(() => {
      const { changes } = remove.run(...where.params);
      this.written.forget(this.name);
      return changes;
    });
  }

  /**
   * An expiring index is a plain one here: SQLite deletes nothing by
   * itself, and whoever keeps data with a lifetime sweeps it anyway.
   */
  async ensureIndexes(indexes: IndexSpec[]): Promise<void> {
    for (const index of indexes) {
      if (!collectionPattern.test(index.name)) {
        throw new InvalidFieldError(index.name);
      }
      expiringFieldOf(index);
      const columns = index.fields
        .map(
          ([field, direction]) =>
            `${fieldExpression(field)} ${direction === 1 ? 'ASC' : 'DESC'}`,
        )
        .join(', ');
      await this.writer(() =>
        this.db.exec(
          `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS
             "rs_${this.name}__${index.name}" ON ${this.table} (${columns})`,
        ),
      );
    }
  }

  /**
   * A read-modify-write, with unique-index clashes made ours. It throws
   * inside the work, so the writer's one promise carries the error.
   */
  private write<Result>(work: () => Result): Promise<Result> {
    return this.writer(() => {
      try {
        return work();
      } catch (error) {
        if (isConstraint(error)) {
          throw new UniqueIndexViolationError(this.name, { cause: error });
        }
        throw error;
      }
    });
  }

  /** Within a write: the row as last written here, or as stored. */
  private current(id: string): StoredRow | undefined {
    return this.written.get(this.name, id) ?? this.statements.get.get(id);
  }

  /** Writes the next version of a row; returns that version. */
  private store(
    id: string,
    doc: string,
    previous: StoredRow | undefined,
    position: bigint | null,
  ): bigint {
    const version = previous ? previous.version + 1n : 1n;
    this.statements.upsert.run(id, doc, version, position);
    this.written.keep(this.name, { id, doc, version, position });

    return version;
  }

  private row(id: string): Row | undefined {
    const row = this.statements.get.get(id);

    return row && normalise(row);
  }

  private prepare() {
    return {
      get: (
        this.db.prepare(
          `SELECT id, doc, version, position FROM ${this.table} WHERE id = ?`,
        ) as Statement<[string], StoredRow>
      ).safeIntegers(true),
      insert: this.db.prepare<[string, string, number, bigint | null]>(
        `INSERT INTO ${this.table} (id, doc, version, position)
         VALUES (?, ?, ?, ?)`,
      ),
      upsert: this.db.prepare<[string, string, bigint, bigint | null]>(
        `INSERT INTO ${this.table} (id, doc, version, position)
         VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET doc = excluded.doc,
           version = excluded.version, position = excluded.position`,
      ),
    };
  }
}

/** Only positions need a bigint; versions are numbers in documents. */
function normalise(row: StoredRow): Row {
  return { ...row, version: Number(row.version) };
}

function toDocument<Doc extends ReadDocument>(row: Row): Doc {
  const fields = JSON.parse(row.doc) as Omit<Doc, '_id' | '_version'>;

  return { _id: row.id, _version: row.version, ...fields } as Doc;
}

/**
 * The fields a find asked for, read from their columns `f0`, `f1`, …: a
 * field the document lacks stays absent.
 */
function projectedDocument<Doc extends ReadDocument>(
  row: StoredRow & Record<string, string | null>,
  fields: readonly string[],
): Doc {
  const doc: ReadDocument = { _id: row.id, _version: Number(row.version) };
  fields.forEach((field, i) => {
    const json = row[`f${i}`];
    if (json !== null && json !== undefined) doc[field] = JSON.parse(json);
  });

  return doc as Doc;
}

/** The caller's fields only: `_id` and `_version` live in their columns. */
function serialise(doc: ReadDocument): string {
  const { _id, _version, ...fields } = doc;

  return JSON.stringify(fields);
}

function sortValues(doc: ReadDocument, sort: [string, unknown][]): Scalar[] {
  return sort.map(([field]) => {
    let value: unknown = doc;
    for (const key of field.split('.')) {
      value = (value as Record<string, unknown> | undefined)?.[key];
    }
    return (value ?? null) as Scalar;
  });
}

function isConstraint(error: unknown): boolean {
  return String((error as { code?: unknown }).code).startsWith(
    'SQLITE_CONSTRAINT',
  );
}

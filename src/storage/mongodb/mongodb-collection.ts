import type { Collection, Document } from 'mongodb';

import type { Logger } from '../../ports/logger.js';
import { encodeCursor } from '../../ports/read-cursor.js';
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
  Update,
  UpdateOptions,
  UpdateResult,
} from '../../ports/read-store.js';
import type { DocumentLocks } from './document-locks.js';
import { expiryField } from './expiring-fields.js';
import type { ExpiringFields } from './expiring-fields.js';
import {
  pageQuery,
  positionGuard,
  sortValues,
  type SortKey,
  toMongoFilter,
  toMongoUpdate,
  withIdTiebreak,
} from './mongodb-queries.js';
import {
  onTtlRefusal,
  onUniqueIndexClash,
  translateStoreError,
} from './translation.js';

export interface StoredDocument extends Document {
  _id: string;
}

/**
 * What the collections of one store share: the driver's collections, the
 * write queue, the fields under expiring indexes, and the expiring
 * indexes the server refused, each warned of once.
 */
export interface CollectionSource {
  driverCollection(name: string): Promise<Collection<StoredDocument>>;
  locks: DocumentLocks;
  expiring: ExpiringFields;
  refusedTtlIndexes: Set<string>;
  logger: Logger;
}

/** The store's own bookkeeping: readers never see it. */
const hidden = { projection: { _position: 0, [expiryField]: 0 } };

export class MongoCollection<
  Doc extends ReadDocument,
> implements ReadCollection<Doc> {
  constructor(
    private readonly name: string,
    private readonly source: CollectionSource,
  ) {}

  async get(id: string): Promise<Doc | undefined> {
    const doc = await this.attempt((c) => c.findOne({ _id: id }, hidden));

    return (doc ?? undefined) as Doc | undefined;
  }

  async insert(doc: Doc): Promise<InsertResult> {
    return this.attempt((c) =>
      onUniqueIndexClash(
        c.insertOne(this.stored(doc, 1)).then(() => 'inserted' as const),
        () => 'duplicate' as const,
      ),
    );
  }

  async replace(doc: Doc, expected: ExpectedVersion): Promise<ReplaceResult> {
    return this.serially(doc._id, (c) =>
      expected === 'absent'
        ? this.create(c, doc)
        : this.replaceAt(c, doc, expected),
    );
  }

  async update(
    id: string,
    update: Update,
    options: UpdateOptions = {},
  ): Promise<UpdateResult> {
    return this.serially(id, (c) => this.apply(c, id, update, options));
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<Page<Doc>> {
    const sort = withIdTiebreak(options.sort);
    const query = pageQuery(filter, sort, options.cursor);
    const { limit } = options;

    const projection = options.fields
      ? { projection: only(projectedFields(options.fields, sort)) }
      : hidden;

    const docs = await this.attempt((c) => {
      const found = c.find(query, { ...projection, sort });
      return (limit === undefined ? found : found.limit(limit + 1)).toArray();
    });

    return page(docs as Doc[], sort, limit);
  }

  async deleteMany(filter: Filter): Promise<number> {
    const result = await this.attempt((c) =>
      c.deleteMany(toMongoFilter(filter)),
    );

    return result.deletedCount;
  }

  /**
   * One index per command: FerretDB 1.24 drops the connection when one
   * createIndexes command names two or more indexes that already exist.
   * An expiring index is made twice: as asked, on its field, for queries;
   * and as a TTL index on the hidden date beside it, where the server
   * has TTL indexes. The field is declared first, so that every write
   * after gives its documents the date, even where the server has none.
   */
  async ensureIndexes(indexes: IndexSpec[]): Promise<void> {
    for (const index of indexes) {
      const { name, fields, unique } = index;
      const expiring = expiringFieldOf(index);
      if (expiring !== undefined) {
        this.source.expiring.declare(this.name, expiring);
      }

      await this.attempt((c) =>
        c.createIndex(Object.fromEntries(fields), {
          name,
          ...(unique ? { unique: true } : {}),
        }),
      );
      if (expiring !== undefined) await this.ensureTtlIndex(index);
    }
  }

  private async create(
    c: Collection<StoredDocument>,
    doc: Doc,
  ): Promise<ReplaceResult> {
    return onUniqueIndexClash(
      c.insertOne(this.stored(doc, 1)).then(() => written(1)),
      async (clash) => {
        const actual = await versionOf(c, doc._id);
        // No document with this id: another unique index refused it.
        if (actual === 'absent') throw clash;

        return mismatch(actual);
      },
    );
  }

  /**
   * Reads the version first, both to report a mismatch and to carry the
   * remembered log position over: a replaced document has still seen it.
   */
  private async replaceAt(
    c: Collection<StoredDocument>,
    doc: Doc,
    expected: number,
  ): Promise<ReplaceResult> {
    const current = await c.findOne(
      { _id: doc._id },
      { projection: { _version: 1, _position: 1 }, useBigInt64: true },
    );
    if (current === null) return mismatch('absent');
    if (current['_version'] !== expected) return mismatch(current['_version']);

    const replacement = this.stored(doc, expected + 1);
    if (current['_position'] !== undefined) {
      replacement['_position'] = current['_position'];
    }
    const result = await c.replaceOne(
      { _id: doc._id, _version: expected },
      replacement,
    );

    return result.matchedCount === 1
      ? written(expected + 1)
      : mismatch(await versionOf(c, doc._id));
  }

  private async apply(
    c: Collection<StoredDocument>,
    id: string,
    update: Update,
    { upsert = false, position }: UpdateOptions,
  ): Promise<UpdateResult> {
    const filter = positionGuard(id, position);
    const change = withExpiry(
      toMongoUpdate(update, position),
      this.source.expiring.updateOf(this.name, update.$set),
    );

    // An upsert whose guard refuses an existing document tries to insert
    // its id again; so can one racing another writer's insert. Either way
    // the document exists, and a plain update decides.
    const result = await onUniqueIndexClash(
      c.updateOne(filter, change, { upsert }),
      async (clash) => {
        if (!upsert || (await versionOf(c, id)) === 'absent') throw clash;
        return c.updateOne(filter, change);
      },
    );

    if (result.matchedCount > 0 || result.upsertedCount > 0) return 'applied';
    if (position === undefined) return 'missing';

    return (await versionOf(c, id)) === 'absent' ? 'missing' : 'skipped';
  }

  /**
   * FerretDB 1.24 has no TTL indexes: its documents wait for their
   * owner's sweep, which is what deletes them on every store anyway.
   */
  private async ensureTtlIndex({ name, expireAfterSeconds }: IndexSpec) {
    const ttlName = `${name}_ttl`;
    const refused = await this.attempt((c) =>
      onTtlRefusal(
        c
          .createIndex(
            { [expiryField]: 1 },
            { name: ttlName, expireAfterSeconds },
          )
          .then(() => false),
        () => true,
      ),
    );

    const key = `${this.name}.${ttlName}`;
    if (!refused || this.source.refusedTtlIndexes.has(key)) return;
    this.source.refusedTtlIndexes.add(key);
    this.source.logger.warn(
      { collection: this.name, index: ttlName },
      'the MongoDB server has no TTL indexes: expired documents stay ' +
        'until the retention sweep deletes them',
    );
  }

  /** The caller's fields at a version, with the hidden date if any. */
  private stored(doc: Doc, version: number): StoredDocument {
    const row = stored(doc, version);
    const expiry = this.source.expiring.dateOf(this.name, doc);
    if (expiry !== undefined) row[expiryField] = expiry;

    return row;
  }

  private serially<T>(
    id: string,
    write: (c: Collection<StoredDocument>) => Promise<T>,
  ): Promise<T> {
    return this.source.locks.run(`${this.name}\u0000${id}`, () =>
      this.attempt(write),
    );
  }

  private async attempt<T>(
    work: (c: Collection<StoredDocument>) => Promise<T>,
  ): Promise<T> {
    try {
      return await work(await this.source.driverCollection(this.name));
    } catch (error) {
      throw translateStoreError(error, this.name);
    }
  }
}

/** These fields with `_id` and `_version`, and none of the store's own. */
function only(fields: readonly string[]): Document {
  return Object.fromEntries(['_version', ...fields].map((field) => [field, 1]));
}

/** The caller's fields at a version; the store's are never theirs to set. */
function stored(doc: ReadDocument, version: number): StoredDocument {
  const { _version, _position, [expiryField]: _expiry, ...fields } = doc;

  return { ...fields, _version: version };
}

/** An update with what keeps the hidden date in step with its field. */
function withExpiry(
  change: Document,
  expiry: { $set?: Document; $unset?: Document },
): Document {
  const $set = { ...change['$set'], ...expiry.$set };

  return {
    ...change,
    ...(Object.keys($set).length > 0 ? { $set } : {}),
    ...(expiry.$unset ? { $unset: expiry.$unset } : {}),
  };
}

async function versionOf(
  c: Collection<StoredDocument>,
  id: string,
): Promise<ExpectedVersion> {
  const doc = await c.findOne({ _id: id }, { projection: { _version: 1 } });

  return doc === null ? 'absent' : doc['_version'];
}

function written(version: number): ReplaceResult {
  return { kind: 'written', version };
}

function mismatch(actual: ExpectedVersion): ReplaceResult {
  return { kind: 'version-mismatch', actual };
}

function page<Doc extends ReadDocument>(
  docs: Doc[],
  sort: SortKey[],
  limit: number | undefined,
): Page<Doc> {
  const more = limit !== undefined && docs.length > limit;
  const items = more ? docs.slice(0, limit) : docs;
  const last = items.at(-1);

  return more && last !== undefined
    ? { items, next: encodeCursor(sortValues(last, sort)) }
    : { items };
}

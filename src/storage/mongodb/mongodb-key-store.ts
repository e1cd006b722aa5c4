import type { Collection, ObjectId, WithId } from 'mongodb';

import type {
  AddKeyResult,
  KeyPurpose,
  KeyStore,
  StoredKey,
} from '../../ports/key-store.js';
import type { Logger } from '../../ports/logger.js';
import { MongoConnection } from './mongodb-connection.js';
import {
  failureKind,
  onUniqueIndexClash,
  translateStoreError,
} from './translation.js';

export interface MongoKeyStoreOptions {
  /** How long an operation waits for a reachable server before failing. */
  serverSelectionTimeoutMS?: number;
  /**
   * The database the keys live in. By default it is the URL's database
   * with `_keys` appended, `hakkiri_keys` if the URL names none.
   */
  database?: string;
}

/** `_id` is the driver's own ObjectId, used only to page. */
interface KeyDocument {
  tenantId: string;
  purpose: KeyPurpose;
  version: number;
  wrapped: string;
  masterKeyId: string;
  createdAt: Date;
}

const collectionName = 'tenant_keys';
const defaultServerSelectionTimeoutMS = 10_000;

/** How many keys `wrappedByOther` reads at a time. */
const pageSize = 100;

/**
 * A key store on MongoDB (or FerretDB), in a database of its own beside
 * the read store's. It connects now if it can; if the server is down, it
 * logs that and tries again on each use.
 */
export async function connectMongoKeyStore(
  url: string,
  logger: Logger,
  options: MongoKeyStoreOptions = {},
): Promise<MongoKeyStore> {
  const connection = MongoConnection.parse(url, {
    serverSelectionTimeoutMS:
      options.serverSelectionTimeoutMS ?? defaultServerSelectionTimeoutMS,
  });
  const database = options.database ?? `${connection.databaseName}_keys`;
  const store = new MongoKeyStore(connection, logger, database);

  await store.ping();

  return store;
}

/**
 * Tenants' wrapped keys in one collection with a unique index on tenant,
 * purpose and version. Every write is a single-document operation, as
 * FerretDB has no transactions.
 */
export class MongoKeyStore implements KeyStore {
  private indexed: Promise<void> | undefined;

  constructor(
    private readonly connection: MongoConnection,
    private readonly logger: Logger,
    readonly databaseName: string,
  ) {}

  async keysOf(tenantId: string): Promise<StoredKey[]> {
    const docs = await this.attempt((keys) =>
      keys.find({ tenantId }).toArray(),
    );

    return docs.map(toStoredKey);
  }

  async add(key: StoredKey): Promise<AddKeyResult> {
    // A fresh object: the driver writes the new `_id` into what it inserts.
    const doc = { ...toStoredKey(key) };

    return this.attempt((keys) =>
      onUniqueIndexClash(
        keys.insertOne(doc).then(() => 'added' as const),
        () => 'exists' as const,
      ),
    );
  }

  /** The previous master key is in the filter: of two rotators, one wins. */
  async rewrap(
    key: Pick<StoredKey, 'tenantId' | 'purpose' | 'version'>,
    previousMasterKeyId: string,
    replacement: Pick<StoredKey, 'wrapped' | 'masterKeyId'>,
  ): Promise<boolean> {
    const { tenantId, purpose, version } = key;
    const { wrapped, masterKeyId } = replacement;

    const result = await this.attempt((keys) =>
      keys.updateOne(
        { tenantId, purpose, version, masterKeyId: previousMasterKeyId },
        { $set: { wrapped, masterKeyId } },
      ),
    );

    return result.matchedCount === 1;
  }

  /**
   * Pages by `_id` rather than holding one cursor open, so a long
   * rotation never meets a cursor the server has timed out.
   */
  async *wrappedByOther(masterKeyId: string): AsyncIterable<StoredKey> {
    let after: ObjectId | undefined;
    do {
      const page = await this.pageWrappedByOther(masterKeyId, after);
      for (const doc of page) yield toStoredKey(doc);

      after = page.length === pageSize ? page.at(-1)?._id : undefined;
    } while (after !== undefined);
  }

  /**
   * Removes the documents. MongoDB does not promise to overwrite their
   * bytes on disk, and its oplog and backups keep copies for as long as
   * they are retained: on this store, shredding is final only once those
   * have rolled over.
   */
  async deleteTenant(tenantId: string): Promise<number> {
    const result = await this.attempt((keys) => keys.deleteMany({ tenantId }));

    return result.deletedCount;
  }

  /** Whether the server answers and the unique index is in place. */
  async ping(): Promise<boolean> {
    try {
      await this.keys();
      return true;
    } catch (error) {
      this.logger.warn(
        { failure: failureKind(error), database: this.databaseName },
        'MongoDB key store cannot be reached',
      );
      return false;
    }
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  private pageWrappedByOther(
    masterKeyId: string,
    after: ObjectId | undefined,
  ): Promise<WithId<KeyDocument>[]> {
    const filter = {
      masterKeyId: { $ne: masterKeyId },
      ...(after === undefined ? {} : { _id: { $gt: after } }),
    };

    return this.attempt((keys) =>
      keys.find(filter).sort({ _id: 1 }).limit(pageSize).toArray(),
    );
  }

  /**
   * The collection, once its unique index exists: without the index, two
   * adds of one key could both succeed.
   */
  private async keys(): Promise<Collection<KeyDocument>> {
    const server = await this.connection.database();
    const keys = server.client
      .db(this.databaseName)
      .collection<KeyDocument>(collectionName);

    await this.ensureIndex(keys);

    return keys;
  }

  /** Once per store; a failed attempt is forgotten, so the next use retries. */
  private ensureIndex(keys: Collection<KeyDocument>): Promise<void> {
    if (this.indexed === undefined) {
      const attempt = keys
        .createIndex(
          { tenantId: 1, purpose: 1, version: 1 },
          { name: 'unique_tenant_purpose_version', unique: true },
        )
        .then(() => undefined);
      this.indexed = attempt;
      attempt.catch(() => {
        if (this.indexed === attempt) this.indexed = undefined;
      });
    }

    return this.indexed;
  }

  private async attempt<T>(
    work: (keys: Collection<KeyDocument>) => Promise<T>,
  ): Promise<T> {
    try {
      return await work(await this.keys());
    } catch (error) {
      throw translateStoreError(error, collectionName);
    }
  }
}

function toStoredKey(doc: StoredKey): StoredKey {
  return {
    tenantId: doc.tenantId,
    purpose: doc.purpose,
    version: doc.version,
    wrapped: doc.wrapped,
    masterKeyId: doc.masterKeyId,
    createdAt: doc.createdAt,
  };
}

import type { Collection } from 'mongodb';

import type { Logger } from '../../ports/logger.js';
import type {
  ReadCollection,
  ReadDocument,
  ReadStore,
} from '../../ports/read-store.js';
import { DocumentLocks } from './document-locks.js';
import { ExpiringFields } from './expiring-fields.js';
import { MongoCollection } from './mongodb-collection.js';
import type { CollectionSource, StoredDocument } from './mongodb-collection.js';
import { MongoConnection } from './mongodb-connection.js';
import { failureKind } from './translation.js';

export interface MongoReadStoreOptions {
  /** How long an operation waits for a reachable server before failing. */
  serverSelectionTimeoutMS?: number;
}

const defaultServerSelectionTimeoutMS = 10_000;

/**
 * A read store on MongoDB (or FerretDB), in the database the URL's path
 * names, `hakkiri` if none. It connects now if it can; if the server is
 * down, it logs that and tries again on each use.
 */
export async function connectMongoReadStore(
  url: string,
  logger: Logger,
  options: MongoReadStoreOptions = {},
): Promise<MongoReadStore> {
  const connection = MongoConnection.parse(url, {
    serverSelectionTimeoutMS:
      options.serverSelectionTimeoutMS ?? defaultServerSelectionTimeoutMS,
    // A field the caller left undefined is absent, not null.
    ignoreUndefined: true,
  });
  const store = new MongoReadStore(connection, logger);

  await store.ping();

  return store;
}

export class MongoReadStore implements ReadStore {
  private readonly source: CollectionSource;

  constructor(
    private readonly connection: MongoConnection,
    private readonly logger: Logger,
  ) {
    this.source = {
      driverCollection: (name) => this.driverCollection(name),
      locks: new DocumentLocks(),
      expiring: new ExpiringFields(),
      refusedTtlIndexes: new Set(),
      logger,
    };
  }

  collection<Doc extends ReadDocument>(name: string): ReadCollection<Doc> {
    return new MongoCollection<Doc>(name, this.source);
  }

  /** MongoDB writes land one by one: position guards make that safe. */
  inBatch<Result>(
    work: (batch: ReadStore) => Promise<Result>,
  ): Promise<Result> {
    return work(this);
  }

  async ping(): Promise<boolean> {
    try {
      const database = await this.connection.database();
      await database.command({ ping: 1 });
      return true;
    } catch (error) {
      this.logger.warn(
        { failure: failureKind(error), database: this.connection.databaseName },
        'MongoDB read store cannot be reached',
      );
      return false;
    }
  }

  async purgeDeleted(): Promise<void> {}

  async close(): Promise<void> {
    await this.connection.close();
  }

  private async driverCollection(
    name: string,
  ): Promise<Collection<StoredDocument>> {
    const database = await this.connection.database();

    return database.collection<StoredDocument>(name);
  }
}

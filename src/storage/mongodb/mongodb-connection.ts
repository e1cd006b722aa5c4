import { MongoClient } from 'mongodb';
import type { Db, MongoClientOptions } from 'mongodb';

import { StoreUnavailableError } from '../../ports/errors.js';
import { translateConnectionStringError } from './translation.js';

const defaultDatabase = 'hakkiri';

/**
 * One client, made again when it could not connect: a MongoClient whose
 * first connection fails stays closed, and every later use of it fails.
 * Once connected, the driver itself rides out outages.
 */
export class MongoConnection {
  private client: Promise<MongoClient> | undefined;
  private closed = false;

  private constructor(
    private readonly url: string,
    private readonly options: MongoClientOptions,
    readonly databaseName: string,
  ) {}

  /** Checks the connection string now, without connecting. */
  static parse(url: string, options: MongoClientOptions): MongoConnection {
    let probe: MongoClient;
    try {
      probe = new MongoClient(url, options);
    } catch (error) {
      throw translateConnectionStringError(error);
    }

    return new MongoConnection(url, options, databaseNameOf(url, probe));
  }

  /** The database, connecting first if no client is connected. */
  async database(): Promise<Db> {
    if (this.closed) {
      throw new StoreUnavailableError('The MongoDB read store is closed');
    }
    if (this.client === undefined) {
      const attempt = this.connect();
      this.client = attempt;
      attempt.catch(() => {
        if (this.client === attempt) this.client = undefined;
      });
    }

    return (await this.client).db(this.databaseName);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;

    await client?.then(
      (connected) => connected.close(),
      () => undefined,
    );
  }

  private async connect(): Promise<MongoClient> {
    const client = new MongoClient(this.url, this.options);
    try {
      await client.connect();
    } catch (error) {
      await client.close();
      throw error;
    }

    return client;
  }
}

/**
 * The database named by the URL's path, or ours. The driver has its own
 * default, so it is asked only when the path names one.
 */
function databaseNameOf(url: string, client: MongoClient): string {
  const namesOne = /^[^:]+:\/\/[^/]*\/[^?]/.test(url);

  return namesOne ? client.options.dbName : defaultDatabase;
}

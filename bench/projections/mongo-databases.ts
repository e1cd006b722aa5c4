import { randomUUID } from 'node:crypto';

import { MongoClient } from 'mongodb';
import type { Db } from 'mongodb';

/**
 * One client for the raw writes and the clean-up, handing out databases
 * with random names that are dropped after their run.
 */
export class MongoDatabases {
  private constructor(
    private readonly server: string,
    private readonly client: MongoClient,
  ) {}

  static async connect(server: string): Promise<MongoDatabases> {
    const client = new MongoClient(server, { serverSelectionTimeoutMS: 5000 });
    await client.connect();

    return new MongoDatabases(server, client);
  }

  async use<T>(work: (db: Db, url: string) => Promise<T>): Promise<T> {
    const name = `hakkiri_bench_${randomUUID().slice(0, 8)}`;
    const url = new URL(this.server);
    url.pathname = `/${name}`;
    const db = this.client.db(name);

    try {
      return await work(db, url.toString());
    } finally {
      await db.dropDatabase();
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

import { randomUUID } from 'node:crypto';

import { MongoClient } from 'mongodb';

import { silentLogger } from '../../../src/logger.js';
import type { ReadStore } from '../../../src/ports/read-store.js';
import { connectMongoReadStore } from '../../../src/storage/mongodb/mongodb-read-store.js';
import { SqliteReadStore } from '../../../src/storage/sqlite/sqlite-read-store.js';
import type { ReadStoreSpec } from './runner-messages.js';

export async function openReadStore(spec: ReadStoreSpec): Promise<ReadStore> {
  return spec.kind === 'sqlite'
    ? new SqliteReadStore(spec.file)
    : connectMongoReadStore(spec.url, silentLogger());
}

/** Two read stores of one kind: the one a child crashes, and a clean one. */
export interface ReadStoreTargets {
  crashed: ReadStoreSpec;
  clean: ReadStoreSpec;
  dispose(): Promise<void>;
}

/** Two files in the data folder; removing the folder removes them. */
export function sqliteTargets(dir: string): ReadStoreTargets {
  return {
    crashed: { kind: 'sqlite', file: `${dir}/read-crashed.sqlite` },
    clean: { kind: 'sqlite', file: `${dir}/read-clean.sqlite` },
    dispose: async () => {},
  };
}

/** Two databases of their own for this run, dropped at the end. */
export function mongoTargets(server: string): ReadStoreTargets {
  const run = randomUUID().slice(0, 8);
  const names = [`hakkiri_crash_${run}`, `hakkiri_clean_${run}`];
  const [crashed, clean] = names.map((name): ReadStoreSpec => ({
    kind: 'mongodb',
    url: inDatabase(server, name),
  }));

  return {
    crashed: crashed!,
    clean: clean!,
    dispose: async () => {
      const client = new MongoClient(server);
      try {
        for (const name of names) await client.db(name).dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

function inDatabase(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;

  return url.toString();
}

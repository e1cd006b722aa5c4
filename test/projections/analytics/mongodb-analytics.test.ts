import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';
import { MongoClient } from 'mongodb';

import { parseCivilDay } from '../../../src/domain/analytics/civil-day.js';
import { silentLogger } from '../../../src/logger.js';
import type { ReadStore } from '../../../src/ports/read-store.js';
import { AnalyticsProjection } from '../../../src/projections/analytics/analytics-projection.js';
import { FlowAnalytics } from '../../../src/projections/analytics/flow-analytics.js';
import { connectMongoReadStore } from '../../../src/storage/mongodb/mongodb-read-store.js';
import { SqliteReadStore } from '../../../src/storage/sqlite/sqlite-read-store.js';
import { Keyring } from '../../../src/crypto/keyring.js';
import { LocalMasterKey, MasterKeys } from '../../../src/crypto/master-key.js';
import { TenantEncryption } from '../../../src/crypto/tenant-encryption.js';
import { encryptedCollections } from '../../../src/projections/projection.js';
import { SqliteKeyStore } from '../../../src/storage/sqlite/sqlite-key-store.js';
import { recordedEvents } from '../../support/recorded-events.js';
import {
  itemEvents,
  itemStream,
  statuses,
} from '../../support/work-item-events.js';
import type { StatusOf } from '../../support/work-item-events.js';

const serverUrl = process.env['MONGODB_URL'];
const { doing, review, done, toDo } = statuses;
const range = {
  from: parseCivilDay('2024-05-01')!,
  to: parseCivilDay('2024-06-30')!,
};

const moves: [number, StatusOf][][] = [
  [
    [1, doing],
    [20, review],
    [30, done],
  ],
  [
    [2, done],
    [5, toDo],
    [9, doing],
  ],
  [
    [3, review],
    [8, done],
  ],
];
const events = recordedEvents(
  moves.map((itemMoves, n) => ({
    stream: itemStream('jira', String(n)),
    events: itemEvents(
      'jira',
      String(n),
      `2024-05-${10 + n}T10:00:00.000Z`,
      itemMoves,
    ),
  })),
);

async function answers(store: ReadStore) {
  const projection = new AnalyticsProjection();
  for (const [collection, indexes] of Object.entries(projection.indexes)) {
    await store.collection(collection).ensureIndexes(indexes);
  }
  const batch = await projection.openBatch(store);
  for (const event of events) await batch.apply(event);
  await batch.finish();

  const queries = new FlowAnalytics(store);
  const view = await queries.view('tenant-1');
  const filter = { connectionId: 'jira' };
  return {
    cfd: await queries.cfd(view, filter, range, 'week'),
    created: await queries.createdVsResolved(view, {}, range, 'day'),
    cycle: await queries.cycleTime(view, filter, range),
    statuses: await queries.timeInStatus(view, {}, range),
    aging: await queries.aging(
      view,
      {},
      range,
      new Date('2024-07-01T00:00:00Z'),
    ),
  };
}

describe('the analytics read models on MongoDB', function () {
  this.timeout(60_000);

  it('answer as they do on SQLite', async function () {
    if (serverUrl === undefined) {
      expect.fail(
        'MONGODB_URL is not set: start FerretDB with .ci/start-ferretdb.sh',
      );
    }
    const name = `hakkiri_test_${randomUUID().slice(0, 8)}`;
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const rawMongo = await connectMongoReadStore(
      url.toString(),
      silentLogger(),
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-analytics-'));
    const rawSqlite = new SqliteReadStore(path.join(dir, 'read.sqlite'));
    // Sealed as the service seals them: FerretDB meets what the service
    // writes, ciphertexts and all.
    const keys = new SqliteKeyStore({ file: path.join(dir, 'keys.sqlite') });
    const encryption = new TenantEncryption(
      new Keyring(keys, new MasterKeys(new LocalMasterKey(randomBytes(32)))),
    );
    await encryption.keyring.createTenantKeys('tenant-1');
    const policy = encryptedCollections([new AnalyticsProjection()]);
    const mongo = encryption.readModels(rawMongo, policy);
    const sqlite = encryption.readModels(rawSqlite, policy);

    try {
      const onSqlite = await answers(sqlite);
      expect(onSqlite.cycle.count).to.equal(1);
      expect(await answers(mongo)).to.deep.equal(onSqlite);
    } finally {
      await mongo.close();
      await sqlite.close();
      await keys.close();
      fs.rmSync(dir, { recursive: true, force: true });
      const client = new MongoClient(serverUrl);
      await client.db(name).dropDatabase();
      await client.close();
    }
  });
});

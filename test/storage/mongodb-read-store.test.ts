import { randomUUID } from 'node:crypto';
import net from 'node:net';

import { expect } from 'chai';
import { MongoClient, MongoServerError, type Collection } from 'mongodb';

import { silentLogger } from '../../src/logger.js';
import { SnapshotVault } from '../../src/projections/snapshots/snapshot-vault.js';
import {
  StoreUnavailableError,
  UniqueIndexViolationError,
} from '../../src/ports/errors.js';
import type { Logger } from '../../src/ports/logger.js';
import { InvalidCursorError } from '../../src/ports/read-cursor.js';
import type {
  ReadCollection,
  ReadDocument,
  ReadStore,
} from '../../src/ports/read-store.js';
import {
  connectMongoReadStore,
  type MongoReadStore,
} from '../../src/storage/mongodb/mongodb-read-store.js';
import { UnsortableValueError } from '../../src/storage/mongodb/mongodb-queries.js';
import { readStoreContract } from '../contract/read-store.contract.js';
import { capturedLogger } from '../support/captured-logger.js';
import { cryptoFixture } from '../support/crypto-fixture.js';
import type { CapturedLogger } from '../support/captured-logger.js';
import { rejectionOf } from '../support/rejection.js';

const serverUrl = process.env['MONGODB_URL'];

if (serverUrl === undefined) {
  describe('read store contract: mongodb', function () {
    it('runs against a MongoDB server', function () {
      expect.fail(
        'MONGODB_URL is not set: start FerretDB with .ci/start-ferretdb.sh',
      );
    });
  });
} else {
  readStoreContract('mongodb', async () => {
    const database = freshDatabase(serverUrl);
    const store = await connectMongoReadStore(database.url, silentLogger());

    return {
      store,
      teardown: async () => {
        await store.close();
        await database.drop();
      },
    };
  });

  mongoAdapterTests(serverUrl);
}

interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A database of its own for this run, dropped when the tests end. */
function freshDatabase(server: string): TestDatabase {
  const name = `hakkiri_test_${randomUUID().slice(0, 8)}`;

  return {
    url: withDatabase(server, name),
    name,
    drop: async () => {
      await withRawClient(server, (c) => c.db(name).dropDatabase());
    },
  };
}

function withDatabase(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;

  return url.toString();
}

async function withRawClient<T>(
  url: string,
  work: (client: MongoClient) => Promise<T>,
): Promise<T> {
  const client = new MongoClient(url);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

/** FerretDB names itself in buildInfo; MongoDB does not. */
function isFerretDb(url: string): Promise<boolean> {
  return withRawClient(url, async (client) => {
    const info = await client.db('admin').command({ buildInfo: 1 });
    return typeof info['ferretdbVersion'] === 'string';
  });
}

/** A port nothing listens on, for as long as nobody takes it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));

  return port;
}

interface Card extends ReadDocument {
  title?: string;
  key?: string;
  points?: number;
  due?: string | null;
  meta?: { rank?: number };
}

function mongoAdapterTests(server: string): void {
  describe('MongoReadStore', function () {
    this.timeout(30_000);

    const database = freshDatabase(server);
    let store: MongoReadStore;
    let cards: ReadCollection<Card>;
    let cardsName: string;

    before(async function () {
      store = await connectMongoReadStore(database.url, silentLogger());
    });

    after(async function () {
      await store?.close();
      await database.drop();
    });

    beforeEach(function () {
      cardsName = `cards_${randomUUID().slice(0, 8)}`;
      cards = store.collection<Card>(cardsName);
    });

    /** The same collection, straight through the driver. */
    function raw<T>(
      work: (collection: Collection<Card>) => Promise<T>,
    ): Promise<T> {
      return withRawClient(database.url, (client) =>
        work(client.db(database.name).collection<Card>(cardsName)),
      );
    }

    describe('unique index clashes', function () {
      beforeEach(async function () {
        await cards.ensureIndexes([
          { name: 'unique_key', fields: [['key', 1]], unique: true },
        ]);
        await cards.insert({ _id: 'a', key: 'one' });
      });

      it('answers E11000 on insert with duplicate', async function () {
        const error = await rejectionOf(
          raw((c) => c.insertOne({ _id: 'b', key: 'one' })),
        );

        expect(error).to.be.instanceOf(MongoServerError);
        expect((error as MongoServerError).code).to.equal(11000);
        expect(await cards.insert({ _id: 'b', key: 'one' })).to.equal(
          'duplicate',
        );
      });

      it('throws a UniqueIndexViolationError from replace', async function () {
        await cards.insert({ _id: 'b', key: 'two' });

        const created = await rejectionOf(
          cards.replace({ _id: 'c', key: 'one' }, 'absent'),
        );
        const replaced = await rejectionOf(
          cards.replace({ _id: 'b', key: 'one' }, 1),
        );

        expect(created).to.be.instanceOf(UniqueIndexViolationError);
        expect(replaced).to.be.instanceOf(UniqueIndexViolationError);
        expect(await cards.get('b')).to.include({ key: 'two', _version: 1 });
      });

      it('throws a UniqueIndexViolationError from an upsert', async function () {
        const error = await rejectionOf(
          cards.update(
            'c',
            { $set: { key: 'one' } },
            { upsert: true, position: 3n },
          ),
        );

        expect(error).to.be.instanceOf(UniqueIndexViolationError);
        expect(await cards.get('c')).to.equal(undefined);
      });
    });

    describe('stored shape', function () {
      it('keeps the position as a 64-bit integer, out of sight', async function () {
        const position = 2n ** 62n + 1n;
        await cards.update(
          'a',
          { $set: { title: 'x' } },
          { upsert: true, position },
        );

        const stored = await raw((c) =>
          c.findOne({ _id: 'a' }, { useBigInt64: true }),
        );

        expect(stored?.['_position']).to.equal(position);
        expect(await cards.get('a')).to.deep.equal({
          _id: 'a',
          _version: 1,
          title: 'x',
        });
      });

      it('keeps the position through a replace', async function () {
        await cards.update(
          'a',
          { $set: { title: 'x' } },
          { upsert: true, position: 9n },
        );
        await cards.replace({ _id: 'a', title: 'y' }, 1);

        const replayed = await cards.update(
          'a',
          { $set: { title: 'z' } },
          { position: 9n },
        );

        expect(replayed).to.equal('skipped');
        expect(await cards.get('a')).to.include({ title: 'y', _version: 2 });
      });

      it('creates real indexes, once', async function () {
        const spec = [
          {
            name: 'by_title_points',
            fields: [
              ['title', 1],
              ['points', -1],
            ] as [string, 1 | -1][],
          },
          {
            name: 'unique_key',
            fields: [['key', 1]] as [string, 1][],
            unique: true,
          },
        ];
        await cards.ensureIndexes(spec);
        await cards.ensureIndexes(spec);

        const indexes = await raw((c) => c.listIndexes().toArray());

        const described = indexes.map(({ name, key, unique }) => ({
          name,
          key,
          unique: unique === true,
        }));
        expect(described).to.deep.equal([
          { name: '_id_', key: { _id: 1 }, unique: false },
          {
            name: 'by_title_points',
            key: { title: 1, points: -1 },
            unique: false,
          },
          { name: 'unique_key', key: { key: 1 }, unique: true },
        ]);
      });
    });

    describe('expiring indexes', function () {
      const spec = [
        {
          name: 'by_due',
          fields: [['due', 1]] as [string, 1][],
          expireAfterSeconds: 0,
        },
      ];
      let captured: CapturedLogger;
      let watched: MongoReadStore;
      let dues: ReadCollection<Card>;

      beforeEach(async function () {
        captured = capturedLogger();
        watched = await connectMongoReadStore(database.url, captured.logger);
        dues = watched.collection<Card>(cardsName);
      });

      afterEach(async function () {
        await watched.close();
      });

      it('keeps the instant beside its field as a BSON date, out of sight', async function () {
        await dues.ensureIndexes(spec);
        await dues.insert({ _id: 'a', due: '2099-01-01T00:00:00.000Z' });
        await dues.update(
          'b',
          { $set: { due: '2098-02-03T04:05:06.789Z' } },
          { upsert: true },
        );
        await dues.replace({ _id: 'c', due: '2097-01-01T00:00:00Z' }, 'absent');
        await dues.update('a', { $set: { due: null } });

        const stored = await raw((c) =>
          c.find({}, { sort: { _id: 1 } }).toArray(),
        );

        expect(stored.map((doc) => doc['_expiry'])).to.deep.equal([
          undefined,
          new Date('2098-02-03T04:05:06.789Z'),
          new Date('2097-01-01T00:00:00.000Z'),
        ]);
        expect(await dues.get('b')).to.deep.equal({
          _id: 'b',
          _version: 1,
          due: '2098-02-03T04:05:06.789Z',
        });
        const found = await dues.find({}, { sort: [['due', 1]] });
        expect(found.items.map((doc) => Object.keys(doc).sort())).to.deep.equal(
          [
            ['_id', '_version', 'due'],
            ['_id', '_version', 'due'],
            ['_id', '_version', 'due'],
          ],
        );
      });

      it('gives snapshot chunks their expiry from the first write on', async function () {
        const keys = cryptoFixture();
        const keyring = keys.keyring();
        await keyring.createTenantKeys('tenant-1');
        try {
          const vault = new SnapshotVault(watched, keys.cipher(keyring));
          const expiresAt = new Date('2099-03-04T05:06:07.890Z');
          const documents = async function* () {
            yield { collection: 'work_items', document: { _id: 'w', n: 1 } };
          };

          await vault.write('tenant-1', 'snapshot-1', expiresAt, documents());

          const stored = await withRawClient(database.url, (client) =>
            client
              .db(database.name)
              .collection('snapshot_chunks')
              .findOne({ snapshotId: 'snapshot-1' }),
          );
          expect(stored?.['_expiry']).to.deep.equal(expiresAt);
          expect(stored?.['expiresAt']).to.equal(expiresAt.toISOString());
        } finally {
          await keys.dispose();
        }
      });

      it('makes a TTL index where the server has them, and else warns once', async function () {
        await dues.ensureIndexes(spec);
        await dues.ensureIndexes(spec);

        const indexes = await raw((c) => c.listIndexes().toArray());
        const ttl = indexes.find((index) => index.name === 'by_due_ttl');
        const warnings = captured
          .lines()
          .filter((line) => line['level'] === 40);

        expect(
          indexes.find((index) => index.name === 'by_due')?.key,
        ).to.deep.equal({ due: 1 });
        if (await isFerretDb(database.url)) {
          expect(ttl).to.equal(undefined);
          expect(warnings).to.have.length(1);
          expect(warnings[0]).to.include({
            collection: cardsName,
            index: 'by_due_ttl',
          });
        } else {
          expect(ttl?.key).to.deep.equal({ _expiry: 1 });
          expect(ttl?.expireAfterSeconds).to.equal(0);
          expect(warnings).to.deep.equal([]);
        }
      });
    });

    describe('concurrent writes to one document', function () {
      it('loses no increment', async function () {
        await cards.insert({ _id: 'a', points: 0 });

        await Promise.all(
          Array.from({ length: 40 }, () =>
            cards.update('a', { $inc: { points: 1 } }),
          ),
        );

        expect(await cards.get('a')).to.include({ points: 40, _version: 41 });
      });

      it('applies each position once', async function () {
        const positions = Array.from({ length: 20 }, (_, n) => BigInt(n + 1));

        const results = await Promise.all(
          [...positions, ...positions].map((position) =>
            cards.update(
              'a',
              { $inc: { points: 1 } },
              { upsert: true, position },
            ),
          ),
        );

        expect(results).to.deep.equal([
          ...positions.map(() => 'applied'),
          ...positions.map(() => 'skipped'),
        ]);
        expect(await cards.get('a')).to.include({ points: 20, _version: 20 });
      });
    });

    describe('paging', function () {
      beforeEach(async function () {
        const dues = ['2024-03', null, '2024-01', undefined, '2024-02'];
        for (const [n, due] of dues.entries()) {
          await cards.insert({
            _id: `c${n}`,
            ...(due === undefined ? {} : { due }),
            meta: { rank: n % 2 },
          });
        }
      });

      async function pageIds(
        sort: [string, 1 | -1][],
        limit: number,
      ): Promise<string[]> {
        const ids: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await cards.find(
            {},
            { sort, limit, ...(cursor ? { cursor } : {}) },
          );
          ids.push(...page.items.map((card) => card._id));
          cursor = page.next;
        } while (cursor !== undefined && ids.length < 20);

        return ids;
      }

      it('pages through missing and null values in both directions', async function () {
        const ascending = ['c1', 'c3', 'c2', 'c4', 'c0'];

        expect(await pageIds([['due', 1]], 2)).to.deep.equal(ascending);
        expect(await pageIds([['due', -1]], 2)).to.deep.equal([
          'c0',
          'c4',
          'c2',
          'c1',
          'c3',
        ]);
      });

      it('pages by a dotted field and by _id descending', async function () {
        expect(await pageIds([['meta.rank', -1]], 1)).to.deep.equal([
          'c1',
          'c3',
          'c0',
          'c2',
          'c4',
        ]);
        expect(await pageIds([['_id', -1]], 2)).to.deep.equal([
          'c4',
          'c3',
          'c2',
          'c1',
          'c0',
        ]);
      });

      it('refuses a cursor it did not hand out', async function () {
        const error = await rejectionOf(cards.find({}, { cursor: 'bm9wZQ' }));

        expect(error).to.be.instanceOf(InvalidCursorError);
      });

      it('refuses to page by a field that holds an object', async function () {
        const error = await rejectionOf(
          cards.find({}, { sort: [['meta', 1]], limit: 1 }),
        );

        expect(error).to.be.instanceOf(UnsortableValueError);
      });
    });

    it('uses the hakkiri database when the URL names none', async function () {
      const root = withDatabase(server, '');
      const named = `default_${randomUUID().slice(0, 8)}`;
      const other = await connectMongoReadStore(root, silentLogger());

      try {
        await other.collection(named).insert({ _id: 'a' });
        const found = await withRawClient(root, (c) =>
          c.db('hakkiri').collection(named).countDocuments(),
        );
        expect(found).to.equal(1);
      } finally {
        await withRawClient(root, (c) => c.db('hakkiri').dropCollection(named));
        await other.close();
      }
    });

    it('reconnects when the server comes up after the store started', async function () {
      const port = await closedPort();
      const upstream = new URL(withDatabase(server, ''));
      const late = await connectMongoReadStore(
        `mongodb://127.0.0.1:${port}/${database.name}`,
        silentLogger(),
        { serverSelectionTimeoutMS: 300 },
      );
      expect(await late.ping()).to.equal(false);
      const relay = await forward(
        port,
        upstream.hostname,
        Number(upstream.port),
      );

      try {
        expect(await late.ping()).to.equal(true);
      } finally {
        await late.close();
        await relay.close();
      }
    });
  });
}

describe('MongoReadStore without a server', function () {
  this.timeout(10_000);

  let store: ReadStore;
  let logged: ReturnType<typeof capturedLogger>;

  before(async function () {
    logged = capturedLogger();
    store = await unreachable(logged.logger);
  });

  after(async function () {
    await store.close();
  });

  it('answers a ping with false, and logs why', async function () {
    const earlier = logged.lines().length;

    expect(await store.ping()).to.equal(false);

    const warnings = logged
      .lines()
      .slice(earlier)
      .filter((line) => line['level'] === 40);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include({ failure: 'MongoServerSelectionError' });
  });

  it('throws StoreUnavailableError from every operation', async function () {
    const cards = store.collection<Card>('cards');
    const attempts = [
      () => cards.get('a'),
      () => cards.insert({ _id: 'a' }),
      () => cards.replace({ _id: 'a' }, 'absent'),
      () => cards.update('a', { $set: { title: 'x' } }),
      () => cards.find({}),
      () => cards.deleteMany({}),
      () => cards.ensureIndexes([{ name: 'by_title', fields: [['title', 1]] }]),
    ];

    for (const attempt of attempts) {
      expect(await rejectionOf(attempt())).to.be.instanceOf(
        StoreUnavailableError,
      );
    }
  });

  it('refuses work once closed', async function () {
    const closed = await unreachable(silentLogger());
    await closed.close();

    const error = await rejectionOf(closed.collection('cards').get('a'));

    expect(error).to.be.instanceOf(StoreUnavailableError);
    expect(await closed.ping()).to.equal(false);
  });

  it('keeps the password out of a bad connection string error', async function () {
    const error = await rejectionOf(
      connectMongoReadStore(
        'mongodb://ann:s3cret@host:nope/db',
        silentLogger(),
      ),
    );

    expect(error).to.be.instanceOf(StoreUnavailableError);
    expect((error as Error).message).to.not.include('s3cret');
  });
});

async function unreachable(logger: Logger): Promise<MongoReadStore> {
  return connectMongoReadStore(
    `mongodb://127.0.0.1:${await closedPort()}/hakkiri_none`,
    logger,
    { serverSelectionTimeoutMS: 200 },
  );
}

interface Relay {
  close(): Promise<void>;
}

/** A TCP relay to the real server, standing in for one that came up late. */
async function forward(
  port: number,
  host: string,
  target: number,
): Promise<Relay> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) =>
    server.listen(port, '127.0.0.1', resolve),
  );

  return {
    close: async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

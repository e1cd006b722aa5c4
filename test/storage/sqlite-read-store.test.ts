import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import { expect } from 'chai';

import { UniqueIndexViolationError } from '../../src/ports/errors.js';
import { SqliteReadStore } from '../../src/storage/sqlite/sqlite-read-store.js';
import { readStoreContract } from '../contract/read-store.contract.js';
import { rejectionOf } from '../support/rejection.js';
import { pause } from '../support/waiting.js';

readStoreContract('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-rs-'));
  const store = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));

  return {
    store,
    teardown: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteReadStore', function () {
  it('answers a filter on an indexed field from the index', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-rs-'));
    const file = path.join(dir, 'read-models.sqlite');
    const store = new SqliteReadStore(file);
    const items = store.collection('items');
    await items.ensureIndexes([
      { name: 'by_project', fields: [['project', 1]] },
    ]);
    await items.insert({ _id: 'a', project: 'ALPHA' });

    const plan = new Database(file, { readonly: true })
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM "rs_items"
         WHERE json_extract(doc, '$.project') IS ?`,
      )
      .all('ALPHA') as { detail: string }[];

    expect(plan.map((step) => step.detail).join()).to.include(
      'USING INDEX rs_items__by_project',
    );
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('batches', function () {
    let dir: string;
    let file: string;
    let store: SqliteReadStore;

    beforeEach(function () {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-rs-'));
      file = path.join(dir, 'read-models.sqlite');
      store = new SqliteReadStore(file);
    });

    afterEach(async function () {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const countIn = (other: Database.Database) =>
      (
        other.prepare('SELECT COUNT(*) AS n FROM "rs_items"').get() as {
          n: number;
        }
      ).n;

    it('commits the writes of a batch together', async function () {
      const items = store.collection('items');
      await items.insert({ _id: 'seed' });
      const other = new Database(file, { readonly: true });
      const seenMidway: number[] = [];

      await store.inBatch(async (batch) => {
        const batchItems = batch.collection('items');
        await batchItems.insert({ _id: 'a' });
        await batchItems.update('b', { $set: { x: 1 } }, { upsert: true });
        seenMidway.push(countIn(other));
      });

      expect(seenMidway).to.deep.equal([1]);
      expect(countIn(other)).to.equal(3);
      other.close();
    });

    it('rolls back every write of a batch that throws', async function () {
      const items = store.collection('items');
      await items.insert({ _id: 'seed' });

      const failure = await rejectionOf(
        store.inBatch(async (batch) => {
          const batchItems = batch.collection('items');
          await batchItems.insert({ _id: 'a' });
          await batchItems.update('seed', { $set: { x: 1 } });
          throw new Error('handler failed');
        }),
      );

      expect(failure).to.have.property('message', 'handler failed');
      expect(await items.get('a')).to.equal(undefined);
      expect(await items.get('seed')).to.deep.equal({
        _id: 'seed',
        _version: 1,
      });
    });

    it('keeps a write from outside an open batch out of it', async function () {
      const items = store.collection('items');
      let outside: Promise<unknown> | undefined;

      const failure = await rejectionOf(
        store.inBatch(async (batch) => {
          await batch.collection('items').insert({ _id: 'inside' });
          outside = items.insert({ _id: 'outside' });
          await pause(20);
          throw new Error('handler failed');
        }),
      );

      expect(await outside).to.equal('inserted');
      expect(failure).to.have.property('message', 'handler failed');
      expect(await items.get('inside')).to.equal(undefined);
      expect(await items.get('outside')).to.include({ _id: 'outside' });
    });
  });

  describe('purgeDeleted', function () {
    it('leaves no byte of deleted documents in any file', async function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-rs-'));
      const store = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));
      const canary = 'CANARY-purge-5e1d';
      const items = store.collection('items');
      for (let n = 0; n < 50; n += 1) {
        await items.insert({ _id: `keep-${n}`, text: 'x'.repeat(500) });
        await items.insert({ _id: `gone-${n}`, text: `${canary}-${n}` });
      }
      const found = () =>
        fs
          .readdirSync(dir)
          .filter((file) =>
            fs.readFileSync(path.join(dir, file)).includes(canary),
          );
      expect(found()).to.not.deep.equal([]);

      await items.deleteMany({ _id: { $in: ['gone-0'] } });
      for (let n = 1; n < 50; n += 1) {
        await items.deleteMany({ _id: `gone-${n}` });
      }
      await store.purgeDeleted();

      expect(found()).to.deep.equal([]);
      expect(await items.get('keep-7')).to.include({ _id: 'keep-7' });
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });

  describe('updates of documents it wrote', function () {
    let dir: string;
    let file: string;
    let store: SqliteReadStore;

    beforeEach(function () {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-rs-'));
      file = path.join(dir, 'read-models.sqlite');
      store = new SqliteReadStore(file);
    });

    afterEach(async function () {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const count = { $inc: { n: 1 } };

    it('start from what another connection wrote since', async function () {
      const items = store.collection('items');
      await items.update('a', count, { upsert: true });
      const other = new SqliteReadStore(file);
      await other.collection('items').update('a', { $set: { by: 'other' } });
      await other.close();

      await items.update('a', count);

      expect(await items.get('a')).to.deep.equal({
        _id: 'a',
        _version: 3,
        n: 2,
        by: 'other',
      });
    });

    it('start from what is stored after a batch rolled back', async function () {
      const items = store.collection('items');
      await items.update('a', count, { upsert: true, position: 1n });

      await rejectionOf(
        store.inBatch(async (batch) => {
          await batch.collection('items').update('a', count, { position: 2n });
          throw new Error('handler failed');
        }),
      );
      const replayed = await items.update('a', count, { position: 2n });

      expect(replayed).to.equal('applied');
      expect(await items.get('a')).to.deep.equal({
        _id: 'a',
        _version: 2,
        n: 2,
      });
    });

    it('start from what is stored after a unique index refused one', async function () {
      const items = store.collection('items');
      await items.ensureIndexes([
        { name: 'by_key', fields: [['key', 1]], unique: true },
      ]);
      await items.update('a', { $set: { key: 'k1' } }, { upsert: true });
      await items.update('b', { $set: { key: 'k2' } }, { upsert: true });

      const refused = await rejectionOf(
        store.inBatch((batch) =>
          batch.collection('items').update('b', { $set: { key: 'k1' } }),
        ),
      );
      await items.update('b', count);

      expect(refused).to.be.instanceOf(UniqueIndexViolationError);
      expect(await items.get('b')).to.deep.equal({
        _id: 'b',
        _version: 2,
        key: 'k2',
        n: 1,
      });
    });

    it('start afresh after the documents were deleted', async function () {
      const items = store.collection('items');
      await items.update('a', count, { upsert: true, position: 5n });
      await items.deleteMany({});

      const result = await items.update('a', count, { position: 1n });
      await items.update('a', count, { upsert: true, position: 1n });

      expect(result).to.equal('missing');
      expect(await items.get('a')).to.deep.equal({
        _id: 'a',
        _version: 1,
        n: 1,
      });
    });
  });
});

import { randomUUID } from 'node:crypto';

import { expect } from 'chai';

import {
  InvalidIndexError,
  UniqueIndexViolationError,
} from '../../src/ports/errors.js';
import type {
  ReadCollection,
  ReadDocument,
  ReadStore,
} from '../../src/ports/read-store.js';
import { rejectionOf } from '../support/rejection.js';

export interface ReadStoreFixture {
  store: ReadStore;
  teardown(): Promise<void>;
}

interface Item extends ReadDocument {
  project: string;
  points: number;
  status?: string;
  counts?: { todo?: number; done?: number };
  tags?: string[];
  expiresAt?: string;
}

/**
 * One suite for every read store adapter. Collection names are unique per
 * test, so it also runs against a shared server.
 */
export function readStoreContract(
  adapter: string,
  open: () => Promise<ReadStoreFixture>,
): void {
  describe(`read store contract: ${adapter}`, function () {
    this.timeout(30_000);

    let fixture: ReadStoreFixture;
    let items: ReadCollection<Item>;
    let itemsName: string;

    before(async function () {
      fixture = await open();
    });

    after(async function () {
      await fixture?.teardown();
    });

    beforeEach(function () {
      itemsName = `items_${randomUUID().slice(0, 8)}`;
      items = fixture.store.collection<Item>(itemsName);
    });

    const item = (id: string, project: string, points: number): Item => ({
      _id: id,
      project,
      points,
    });

    async function seed(count: number): Promise<void> {
      for (let n = 0; n < count; n++) {
        const project = ['ALPHA', 'BETA', 'GAMMA'][n % 3]!;
        await items.insert(
          item(`item-${String(n).padStart(3, '0')}`, project, n),
        );
      }
    }

    describe('get and insert', function () {
      it('reads back what it inserted, at version 1', async function () {
        const result = await items.insert({
          ...item('a', 'ALPHA', 3),
          counts: { todo: 1 },
          tags: ['x', 'y'],
        });

        expect(result).to.equal('inserted');
        expect(await items.get('a')).to.deep.equal({
          _id: 'a',
          _version: 1,
          project: 'ALPHA',
          points: 3,
          counts: { todo: 1 },
          tags: ['x', 'y'],
        });
      });

      it('answers a missing id with undefined', async function () {
        expect(await items.get('nope')).to.equal(undefined);
      });

      it('reports a duplicate id without overwriting', async function () {
        await items.insert(item('a', 'ALPHA', 1));

        const result = await items.insert(item('a', 'BETA', 2));

        expect(result).to.equal('duplicate');
        expect(await items.get('a')).to.include({ project: 'ALPHA' });
      });

      it('keeps collections apart', async function () {
        const other = fixture.store.collection<Item>(
          `other_${randomUUID().slice(0, 8)}`,
        );
        await items.insert(item('a', 'ALPHA', 1));

        expect(await other.get('a')).to.equal(undefined);
      });
    });

    describe('replace with an optimistic version', function () {
      it('creates a document that is expected absent', async function () {
        const result = await items.replace(item('a', 'ALPHA', 1), 'absent');

        expect(result).to.deep.equal({ kind: 'written', version: 1 });
      });

      it('replaces a document at the expected version', async function () {
        await items.insert(item('a', 'ALPHA', 1));

        const result = await items.replace(item('a', 'BETA', 5), 1);

        expect(result).to.deep.equal({ kind: 'written', version: 2 });
        expect(await items.get('a')).to.deep.equal({
          ...item('a', 'BETA', 5),
          _version: 2,
        });
      });

      it('refuses a stale version and reports the actual one', async function () {
        await items.insert(item('a', 'ALPHA', 1));
        await items.replace(item('a', 'ALPHA', 2), 1);

        const result = await items.replace(item('a', 'GAMMA', 3), 1);

        expect(result).to.deep.equal({ kind: 'version-mismatch', actual: 2 });
        expect(await items.get('a')).to.include({ points: 2 });
      });

      it('refuses to create what already exists', async function () {
        await items.insert(item('a', 'ALPHA', 1));

        const result = await items.replace(item('a', 'BETA', 2), 'absent');

        expect(result).to.deep.equal({ kind: 'version-mismatch', actual: 1 });
      });

      it('refuses to replace what does not exist', async function () {
        const result = await items.replace(item('a', 'BETA', 2), 4);

        expect(result).to.deep.equal({
          kind: 'version-mismatch',
          actual: 'absent',
        });
        expect(await items.get('a')).to.equal(undefined);
      });

      it('lets one of two racing writers win', async function () {
        await items.insert(item('a', 'ALPHA', 1));

        const results = await Promise.all(
          [2, 3, 4].map((points) =>
            items.replace(item('a', 'ALPHA', points), 1),
          ),
        );

        const written = results.filter((r) => r.kind === 'written');
        expect(written).to.have.length(1);
        expect(await items.get('a')).to.include({ _version: 2 });
      });
    });

    describe('update', function () {
      it('sets, increments, and keeps the maximum and minimum', async function () {
        await items.insert({ ...item('a', 'ALPHA', 5), status: 'todo' });

        const result = await items.update('a', {
          $set: { status: 'done', 'counts.done': 1 },
          $inc: { points: 2, 'counts.todo': -1 },
        });
        await items.update('a', {
          $max: { points: 4 },
          $min: { project: 'AAA' },
        });
        await items.update('a', {
          $max: { points: 9 },
          $min: { project: 'ZZZ' },
        });

        expect(result).to.equal('applied');
        expect(await items.get('a')).to.deep.equal({
          _id: 'a',
          _version: 4,
          project: 'AAA',
          points: 9,
          status: 'done',
          counts: { done: 1, todo: -1 },
        });
      });

      it('treats a missing field as absent for $inc, $max and $min', async function () {
        await items.insert(item('a', 'ALPHA', 1));

        await items.update('a', {
          $inc: { 'counts.todo': 3 },
          $max: { status: 'b' },
          $min: { 'counts.done': 7 },
        });

        expect(await items.get('a')).to.deep.include({
          status: 'b',
          counts: { todo: 3, done: 7 },
        });
      });

      it('answers missing for an absent document, and creates it on upsert', async function () {
        const missing = await items.update('a', { $inc: { points: 1 } });
        const upserted = await items.update(
          'a',
          { $set: { project: 'ALPHA' }, $inc: { points: 1 } },
          { upsert: true },
        );

        expect(missing).to.equal('missing');
        expect(upserted).to.equal('applied');
        expect(await items.get('a')).to.deep.equal({
          _id: 'a',
          _version: 1,
          project: 'ALPHA',
          points: 1,
        });
      });
    });

    describe('updates guarded by log position', function () {
      const bump = (position: bigint) =>
        items.update(
          'a',
          { $inc: { points: 1 }, $set: { project: 'ALPHA' } },
          { upsert: true, position },
        );

      it('applies each position once, however often it is replayed', async function () {
        const first = [await bump(10n), await bump(11n), await bump(12n)];
        const replayed = [await bump(10n), await bump(11n), await bump(12n)];

        expect(first).to.deep.equal(['applied', 'applied', 'applied']);
        expect(replayed).to.deep.equal(['skipped', 'skipped', 'skipped']);
        expect(await items.get('a')).to.include({ points: 3 });
      });

      it('skips a replay of the upsert that created the document', async function () {
        await bump(5n);

        expect(await bump(5n)).to.equal('skipped');
        expect(await items.get('a')).to.include({ points: 1, _version: 1 });
      });

      it('applies positions beyond what fits in a double', async function () {
        const big = 2n ** 60n;
        await bump(big);

        expect(await bump(big + 1n)).to.equal('applied');
        expect(await bump(big + 1n)).to.equal('skipped');
      });

      it('does not show the position to readers', async function () {
        await bump(7n);

        expect(await items.get('a')).to.not.have.property('_position');
      });
    });

    describe('find', function () {
      beforeEach(async function () {
        await seed(30);
      });

      it('matches equality, $in and ranges together', async function () {
        const page = await items.find({
          project: { $in: ['ALPHA', 'GAMMA'] },
          points: { $gte: 10, $lt: 20 },
        });

        expect(page.items.map((i) => i.points)).to.deep.equal([
          11, 12, 14, 15, 17, 18,
        ]);
      });

      it('matches a plain value as equality', async function () {
        const page = await items.find({ project: 'BETA', points: { $lte: 7 } });

        expect(page.items.map((i) => i._id)).to.deep.equal([
          'item-001',
          'item-004',
          'item-007',
        ]);
      });

      it('sorts by several fields, with _id last', async function () {
        const page = await items.find(
          { points: { $lt: 6 } },
          { sort: [['project', -1]] },
        );

        expect(page.items.map((i) => i._id)).to.deep.equal([
          'item-002',
          'item-005',
          'item-001',
          'item-004',
          'item-000',
          'item-003',
        ]);
      });

      it('pages through everything with a cursor, once each', async function () {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;

        do {
          const page = await items.find(
            { project: { $in: ['ALPHA', 'BETA'] } },
            { sort: [['points', -1]], limit: 7, ...(cursor ? { cursor } : {}) },
          );
          seen.push(...page.items.map((i) => i._id));
          cursor = page.next;
          pages++;
        } while (cursor !== undefined && pages < 10);

        const expected = Array.from({ length: 30 }, (_, n) => n)
          .filter((n) => n % 3 !== 2)
          .reverse()
          .map((n) => `item-${String(n).padStart(3, '0')}`);
        expect(seen).to.deep.equal(expected);
      });

      it('says there is no next page when fewer than the limit remain', async function () {
        const page = await items.find({ project: 'ALPHA' }, { limit: 20 });

        expect(page.items).to.have.length(10);
        expect(page.next).to.equal(undefined);
      });

      it('returns only the fields asked for, with _id and _version', async function () {
        await items.update('item-004', { $set: { status: 'open', tags: [] } });
        await items.update('item-005', { $set: { counts: { todo: 2 } } });

        const page = await items.find(
          { points: { $in: [4, 5] } },
          { fields: ['status', 'counts', 'tags'] },
        );

        expect(page.items).to.deep.equal([
          { _id: 'item-004', _version: 2, status: 'open', tags: [] },
          { _id: 'item-005', _version: 2, counts: { todo: 2 } },
        ]);
      });

      it('pages through ids and versions alone, by a sort field', async function () {
        const seen: ReadDocument[] = [];
        let cursor: string | undefined;

        do {
          const page = await items.find(
            { project: 'GAMMA' },
            {
              sort: [['points', -1]],
              limit: 4,
              fields: [],
              ...(cursor && { cursor }),
            },
          );
          seen.push(...page.items);
          cursor = page.next;
        } while (cursor !== undefined && seen.length < 30);

        expect(seen.map((i) => i._id)).to.deep.equal(
          [29, 26, 23, 20, 17, 14, 11, 8, 5, 2].map(
            (n) => `item-${String(n).padStart(3, '0')}`,
          ),
        );
        expect(seen[0]).to.deep.equal({
          _id: 'item-029',
          _version: 1,
          points: 29,
        });

        const bare = await items.find({ project: 'GAMMA' }, { fields: [] });
        expect(bare.items[0]).to.deep.equal({ _id: 'item-002', _version: 1 });
      });

      it('finds dotted fields', async function () {
        await items.update('item-004', { $set: { 'counts.todo': 5 } });

        const page = await items.find({ 'counts.todo': { $gt: 1 } });

        expect(page.items.map((i) => i._id)).to.deep.equal(['item-004']);
      });
    });

    describe('deleteMany', function () {
      it('deletes what the filter matches and counts it', async function () {
        await seed(9);

        const deleted = await items.deleteMany({ project: 'BETA' });

        expect(deleted).to.equal(3);
        const left = await items.find({});
        expect(left.items).to.have.length(6);
        expect(left.items.every((i) => i.project !== 'BETA')).to.equal(true);
      });

      it('deletes everything given an empty filter', async function () {
        await seed(4);

        expect(await items.deleteMany({})).to.equal(4);
        expect((await items.find({})).items).to.deep.equal([]);
      });
    });

    describe('indexes', function () {
      it('declares indexes more than once without harm', async function () {
        const spec = [
          { name: 'by_project', fields: [['project', 1]] as [string, 1][] },
        ];

        await items.ensureIndexes(spec);
        await items.ensureIndexes(spec);
        await seed(3);

        expect((await items.find({ project: 'ALPHA' })).items).to.have.length(
          1,
        );
      });

      it('enforces a unique index on insert and on update', async function () {
        await items.ensureIndexes([
          { name: 'unique_status', fields: [['status', 1]], unique: true },
        ]);
        await items.insert({ ...item('a', 'ALPHA', 1), status: 'one' });
        await items.insert({ ...item('b', 'ALPHA', 2), status: 'two' });

        const inserted = await items.insert({
          ...item('c', 'ALPHA', 3),
          status: 'one',
        });
        const updated = items.update('b', { $set: { status: 'one' } });

        expect(inserted).to.equal('duplicate');
        const error = await rejectionOf(updated);
        expect(error).to.be.instanceOf(UniqueIndexViolationError);
        expect(await items.get('b')).to.include({ status: 'two' });
        expect(await items.get('c')).to.equal(undefined);
      });

      it('keeps a field under an expiring index as it was written', async function () {
        const spec = [
          {
            name: 'by_expiry',
            fields: [['expiresAt', 1]] as [string, 1][],
            expireAfterSeconds: 0,
          },
        ];
        await items.ensureIndexes(spec);
        await items.ensureIndexes(spec);

        await items.insert({
          ...item('a', 'ALPHA', 1),
          expiresAt: '2099-01-01T00:00:00.000Z',
        });
        await items.replace(
          { ...item('b', 'BETA', 2), expiresAt: '2098-06-01T12:30:00.000Z' },
          'absent',
        );
        await items.update(
          'c',
          { $set: { project: 'GAMMA', points: 3, expiresAt: '2097-01-01' } },
          { upsert: true },
        );
        await items.update(
          'c',
          { $set: { expiresAt: '2097-01-01T00:00:00.000Z' } },
          { position: 4n },
        );
        await items.update('a', { $set: { expiresAt: 'never' } });

        expect(await items.get('a')).to.deep.equal({
          ...item('a', 'ALPHA', 1),
          _version: 2,
          expiresAt: 'never',
        });
        const due = await items.find(
          { expiresAt: { $lte: '2098-12-31T00:00:00.000Z' } },
          { sort: [['expiresAt', -1]] },
        );
        expect(due.items).to.deep.equal([
          {
            ...item('b', 'BETA', 2),
            _version: 1,
            expiresAt: '2098-06-01T12:30:00.000Z',
          },
          {
            ...item('c', 'GAMMA', 3),
            _version: 2,
            expiresAt: '2097-01-01T00:00:00.000Z',
          },
        ]);
      });

      it('refuses an expiring index of another shape', async function () {
        const shapes = [
          {
            fields: [
              ['expiresAt', 1],
              ['project', 1],
            ] as [string, 1][],
          },
          { fields: [['expiresAt', -1]] as [string, -1][] },
          { fields: [['counts.todo', 1]] as [string, 1][] },
          { fields: [['expiresAt', 1]] as [string, 1][], unique: true },
        ];

        for (const shape of shapes) {
          const error = await rejectionOf(
            items.ensureIndexes([
              { name: 'by_expiry', expireAfterSeconds: 60, ...shape },
            ]),
          );
          expect(error, JSON.stringify(shape)).to.be.instanceOf(
            InvalidIndexError,
          );
        }
        const negative = await rejectionOf(
          items.ensureIndexes([
            {
              name: 'by_expiry',
              fields: [['expiresAt', 1]],
              expireAfterSeconds: -1,
            },
          ]),
        );
        expect(negative).to.be.instanceOf(InvalidIndexError);
      });
    });

    describe('batches', function () {
      it('returns what the work returns, with its writes in place', async function () {
        const result = await fixture.store.inBatch(async (batch) => {
          const batchItems = batch.collection<Item>(itemsName);
          await batchItems.insert(item('a', 'ALPHA', 1));
          await batchItems.update('a', { $inc: { points: 1 } });
          return 'done';
        });

        expect(result).to.equal('done');
        expect(await items.get('a')).to.include({ points: 2, _version: 2 });
      });

      it('passes on what the work throws', async function () {
        const failure = await rejectionOf(
          fixture.store.inBatch(async () => {
            throw new Error('handler failed');
          }),
        );

        expect(failure).to.have.property('message', 'handler failed');
      });

      it('runs a batch inside a batch as part of it', async function () {
        await fixture.store.inBatch((batch) =>
          batch.inBatch((inner) =>
            inner.collection<Item>(itemsName).insert(item('a', 'ALPHA', 1)),
          ),
        );

        expect(await items.get('a')).to.include({ project: 'ALPHA' });
      });
    });

    it('answers a ping', async function () {
      expect(await fixture.store.ping()).to.equal(true);
    });
  });
}

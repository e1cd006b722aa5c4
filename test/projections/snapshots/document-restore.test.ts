import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import type { ReadDocument } from '../../../src/ports/read-store.js';
import { DocumentRestore } from '../../../src/projections/snapshots/document-restore.js';
import type { CopiedDocument } from '../../../src/projections/snapshots/snapshot-vault.js';
import { SqliteReadStore } from '../../../src/storage/sqlite/sqlite-read-store.js';

const collection = 'cards';

function copied(document: ReadDocument): CopiedDocument {
  return { collection, document };
}

describe('putting a tenant back as a copy holds it', function () {
  let dir: string;
  let store: SqliteReadStore;

  beforeEach(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-restore-'));
    store = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));
    await store
      .collection(collection)
      .ensureIndexes([{ name: 'by_key', fields: [['key', 1]], unique: true }]);
  });

  afterEach(async function () {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function restore(copy: ReadDocument[]): Promise<void> {
    await store.inBatch(async (batch) => {
      const restoring = new DocumentRestore(batch, 't1');
      for (const document of copy) await restoring.putBack(copied(document));
      await restoring.finish([collection]);
    });
  }

  async function all() {
    const page = await store.collection(collection).find({});
    return page.items;
  }

  it('rewrites what changed, adds what is missing, deletes what the copy lacks', async function () {
    const cards = store.collection(collection);
    await cards.insert({ _id: 'same', tenantId: 't1', key: 'a', n: 1 });
    await cards.update('same', { $set: { n: 1 } });
    await cards.insert({ _id: 'changed', tenantId: 't1', key: 'b', n: 5 });
    await cards.insert({ _id: 'extra', tenantId: 't1', key: 'c', n: 1 });
    await cards.insert({ _id: 'theirs', tenantId: 't2', key: 'd', n: 1 });

    await restore([
      { _id: 'changed', _version: 1, tenantId: 't1', key: 'b', n: 2 },
      { _id: 'missing', _version: 1, tenantId: 't1', key: 'e', n: 3 },
      { _id: 'same', _version: 2, tenantId: 't1', key: 'a', n: 1 },
    ]);

    expect(await all()).to.deep.equal([
      { _id: 'changed', _version: 1, tenantId: 't1', key: 'b', n: 2 },
      { _id: 'missing', _version: 1, tenantId: 't1', key: 'e', n: 3 },
      // Left alone: still the version it had.
      { _id: 'same', _version: 2, tenantId: 't1', key: 'a', n: 1 },
      { _id: 'theirs', _version: 1, tenantId: 't2', key: 'd', n: 1 },
    ]);
  });

  it('lets the catch-up apply again every event to a document it rewrote', async function () {
    const cards = store.collection(collection);
    await cards.update(
      'changed',
      { $set: { tenantId: 't1', key: 'b' }, $inc: { n: 1 } },
      { upsert: true, position: 9n },
    );

    await restore([{ _id: 'changed', tenantId: 't1', key: 'b', n: 0 }]);

    expect(
      await cards.update('changed', { $inc: { n: 1 } }, { position: 9n }),
    ).to.equal('applied');
  });

  it('puts back a document whose unique key one it deletes still held', async function () {
    const cards = store.collection(collection);
    await cards.insert({ _id: 'newer', tenantId: 't1', key: 'alice' });

    await restore([{ _id: 'older', tenantId: 't1', key: 'alice' }]);

    expect(await all()).to.deep.equal([
      { _id: 'older', _version: 1, tenantId: 't1', key: 'alice' },
    ]);
  });
});

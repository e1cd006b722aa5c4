import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import { expect } from 'chai';

import { SqliteReadStore } from '../../src/storage/sqlite/sqlite-read-store.js';
import { readStoreContract } from '../contract/read-store.contract.js';

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
});

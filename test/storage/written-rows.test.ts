import Database from 'better-sqlite3';
import { expect } from 'chai';

import { WrittenRows } from '../../src/storage/sqlite/written-rows.js';
import type { StoredRow } from '../../src/storage/sqlite/written-rows.js';

function row(id: string): StoredRow {
  return { id, doc: '{}', version: 1n, position: null };
}

describe('WrittenRows', function () {
  it('lets the oldest row go past its limit', function () {
    const db = new Database(':memory:');
    const written = new WrittenRows(db, 2);

    for (const id of ['a', 'b', 'a', 'c']) written.keep('items', row(id));

    expect(written.get('items', 'a')).to.equal(undefined);
    expect(written.get('items', 'b')).to.deep.equal(row('b'));
    expect(written.get('items', 'c')).to.deep.equal(row('c'));
    db.close();
  });
});

import Database from 'better-sqlite3';
import { expect } from 'chai';

import { WrittenRows } from '../../src/storage/sqlite/written-rows.js';
import type { StoredRow } from '../../src/storage/sqlite/written-rows.js';

function row(id: string, doc = '{}'): StoredRow {
  return { id, doc, version: 1n, position: null };
}

describe('WrittenRows', function () {
  it('lets rows go in the order first kept, past its budget of text', function () {
    const db = new Database(':memory:');
    const written = new WrittenRows(db, 10);

    written.keep('items', row('a', '{"n":1}'));
    written.keep('items', row('b', '{}'));
    written.keep('items', row('a', '{"n":2}'));
    written.keep('items', row('c', '{"x":1}'));

    // Rewriting a kept its place: it goes first, and that makes room.
    expect(written.get('items', 'a')).to.equal(undefined);
    expect(written.get('items', 'b')).to.deep.equal(row('b'));
    expect(written.get('items', 'c')).to.deep.equal(row('c', '{"x":1}'));
    db.close();
  });

  it('keeps a row larger than the budget until the next one', function () {
    const db = new Database(':memory:');
    const written = new WrittenRows(db, 4);

    written.keep('items', row('big', '{"long":true}'));
    expect(written.get('items', 'big')).to.deep.equal(
      row('big', '{"long":true}'),
    );

    written.keep('items', row('small', '{}'));
    expect(written.get('items', 'big')).to.equal(undefined);
    expect(written.get('items', 'small')).to.deep.equal(row('small'));
    db.close();
  });

  it('gives each collection its own budget, and forgets rows on demand', function () {
    const db = new Database(':memory:');
    const written = new WrittenRows(db, 4);

    written.keep('items', row('a'));
    written.keep('others', row('a', '{"o":0}'));
    written.forget('others', 'a');

    expect(written.get('items', 'a')).to.deep.equal(row('a'));
    expect(written.get('others', 'a')).to.equal(undefined);
    db.close();
  });
});

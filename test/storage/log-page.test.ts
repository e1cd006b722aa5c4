import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { expect } from 'chai';

import { toRecordedEvent } from '../../src/storage/sqlite/event-row.js';
import type { EventRow } from '../../src/storage/sqlite/event-row.js';
import {
  eventsOfPage,
  logPageQuery,
  textOfPage,
} from '../../src/storage/sqlite/log-page.js';
import type { LogPageRow } from '../../src/storage/sqlite/log-page.js';
import { eventLogSchema } from '../../src/storage/sqlite/sqlite-event-store.js';

/** An in-memory events table with rows written as given. */
function eventLog(rows: { data: string; metadata?: string; at?: bigint }[]) {
  const db = new Database(':memory:');
  db.exec(eventLogSchema);
  const insert = db.prepare(
    `INSERT INTO events (position, id, stream_name, revision, type, data,
       metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  rows.forEach(({ data, metadata, at }, i) => {
    insert.run(
      at ?? BigInt(i + 1),
      `id-${i}`,
      'stream "one"',
      i,
      'Counted',
      data,
      metadata ?? '{"tenantId":"tenant-1"}',
      1_700_000_000_000 + i,
    );
  });

  const page = (
    db.prepare(logPageQuery) as Statement<[bigint, number], LogPageRow>
  ).safeIntegers(true);
  const rowsHere = (
    db.prepare(
      'SELECT * FROM events WHERE position > ? ORDER BY position',
    ) as Statement<[bigint], EventRow>
  ).safeIntegers(true);

  return {
    page: (after = 0n, limit = 100) => page.get(after, limit)!,
    here: (after = 0n) => rowsHere.all(after).map(toRecordedEvent),
  };
}

describe('log pages', function () {
  it('decode to the events the rows decode to', function () {
    const log = eventLog([
      { data: '{"n":1,"label":"caf\\u00e9 \\"x\\"","list":[1,2.5,null]}' },
      { data: '{ "n" : 2 , "nested" : { "deep" : true } }' },
      { data: '{"big":12345678901234567890}' },
    ]);

    const text = textOfPage(log.page());

    expect(eventsOfPage({ after: 0n, text: text! })).to.deep.equal(log.here());
  });

  it('are an empty array past the head', function () {
    const log = eventLog([{ data: '{}' }]);

    const text = textOfPage(log.page(1n));

    expect(eventsOfPage({ after: 1n, text: text! })).to.deep.equal([]);
  });

  it('have no text when a row holds malformed JSON', function () {
    const log = eventLog([{ data: '{}' }, { data: '{"n":' }]);

    expect(textOfPage(log.page())).to.equal(undefined);
  });

  it('have no text when a row holds JSON that is not strict', function () {
    const log = eventLog([{ data: '{}' }, { data: "{n: 1, 'x': 2}" }]);

    expect(textOfPage(log.page())).to.equal(undefined);
  });

  it('have no text when a position is past exact numbers', function () {
    const log = eventLog([{ data: '{}', at: 2n ** 60n }]);

    expect(textOfPage(log.page())).to.equal(undefined);
  });

  it('give no events when data or metadata is not an object', function () {
    const notObject = eventLog([{ data: '{}' }, { data: '[1, 2]' }]);
    const noMetadata = eventLog([{ data: '{}', metadata: 'null' }]);

    const arrayData = textOfPage(notObject.page())!;
    const nullMetadata = textOfPage(noMetadata.page())!;

    expect(eventsOfPage({ after: 0n, text: arrayData })).to.equal(undefined);
    expect(eventsOfPage({ after: 0n, text: nullMetadata })).to.equal(undefined);
  });

  it('give no events when positions are not past the one asked', function () {
    const log = eventLog([{ data: '{}' }, { data: '{}' }]);

    const text = textOfPage(log.page())!;

    expect(eventsOfPage({ after: 1n, text })).to.equal(undefined);
  });

  it('give no events for text JavaScript does not take for JSON', function () {
    expect(eventsOfPage({ after: 0n, text: '[[1,' })).to.equal(undefined);
  });
});

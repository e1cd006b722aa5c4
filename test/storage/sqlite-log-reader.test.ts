import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { expect } from 'chai';
import { filter, firstValueFrom, Subject, takeWhile, toArray } from 'rxjs';

import { silentLogger } from '../../src/logger.js';
import type { NewEvent, RecordedEvent } from '../../src/ports/event-store.js';
import { toRecordedEvent } from '../../src/storage/sqlite/event-row.js';
import type { EventRow } from '../../src/storage/sqlite/event-row.js';
import { eventsOfPage } from '../../src/storage/sqlite/log-page.js';
import type { PageText } from '../../src/storage/sqlite/log-page.js';
import { LogReadAhead } from '../../src/storage/sqlite/log-read-ahead.js';
import { SqliteEventStore } from '../../src/storage/sqlite/sqlite-event-store.js';
import { SqliteLogReader } from '../../src/storage/sqlite/sqlite-log-reader.js';
import { pollingSubscription } from '../../src/storage/sqlite/sqlite-subscription.js';
import { capturedLogger } from '../support/captured-logger.js';
import { pause } from '../support/waiting.js';

function counted(n: number): NewEvent {
  return {
    type: 'Counted',
    data: { n, label: `event "${n}"`, tags: ['a', 'b'], nested: { n } },
    metadata: {
      tenantId: 'tenant-1',
      correlationId: `correlation-${n}`,
      causationId: `causation-${n}`,
      schemaVersion: 1,
    },
  };
}

/** Appends `count` events, ten to a stream. */
async function fill(store: SqliteEventStore, count: number): Promise<void> {
  for (let first = 0; first < count; first += 10) {
    const events = Array.from({ length: Math.min(10, count - first) }, (_, i) =>
      counted(first + i),
    );
    await store.append(`stream-${first / 10}`, events, 'no_stream');
  }
}

async function readAllOf(store: SqliteEventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for await (const event of store.readAll()) all.push(event);

  return all;
}

/** Asks until the thread answers, which it does once it has started. */
async function pageFromThread(
  reader: SqliteLogReader,
  after: bigint,
  limit: number,
): Promise<PageText> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const page = await reader.read(after, limit);
    if (page) return page;
    if (Date.now() > deadline) throw new Error('the thread never answered');
    await pause(10);
  }
}

/** The store's own page read, on a connection of the test's. */
function pagesHere(file: string) {
  const db = new Database(file, { readonly: true });
  const rows = (
    db.prepare(
      `SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    ) as Statement<[bigint, number], EventRow>
  ).safeIntegers(true);

  return {
    read: (after: bigint, limit: number) =>
      rows.all(after, limit).map(toRecordedEvent),
    close: () => db.close(),
  };
}

describe('SqliteLogReader', function () {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;

  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-log-reader-'));
    file = path.join(dir, 'events.sqlite');
    store = new SqliteEventStore({ file, logger: silentLogger() });
  });

  afterEach(async function () {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads a page on its thread as the store reads it', async function () {
    await fill(store, 25);
    const reader = new SqliteLogReader(file, silentLogger());

    const all = await readAllOf(store);
    const page = await pageFromThread(reader, all[4]!.position, 10);

    expect(eventsOfPage(page)).to.deep.equal(all.slice(5, 15));
    await reader.close();
  });

  it('declines a page with a row it cannot send as stored', async function () {
    await fill(store, 20);
    const all = await readAllOf(store);
    const writer = new Database(file);
    writer
      .prepare('UPDATE events SET data = ? WHERE position = ?')
      .run('{"n": 1', all[12]!.position);
    writer.close();
    const reader = new SqliteLogReader(file, silentLogger());

    await pageFromThread(reader, 0n, 10);
    const corrupt = await reader.read(all[9]!.position, 10);

    expect(corrupt).to.equal(undefined);
    await reader.close();
  });

  it('answers nothing once closed, not even a read in flight', async function () {
    await fill(store, 10);
    const reader = new SqliteLogReader(file, silentLogger());
    await pageFromThread(reader, 0n, 10);

    const inFlight = reader.read(0n, 10);
    await reader.close();

    expect(await inFlight).to.equal(undefined);
    expect(await reader.read(0n, 10)).to.equal(undefined);
  });

  it('logs that its thread stopped, then answers nothing', async function () {
    const { logger, lines } = capturedLogger();
    const reader = new SqliteLogReader(path.join(dir, 'none.sqlite'), logger);

    const first = await reader.read(0n, 10);
    const deadline = Date.now() + 10_000;
    while (lines().length === 0 && Date.now() < deadline) await pause(10);

    expect(first).to.equal(undefined);
    expect(lines()[0]).to.include({
      level: 40,
      msg: 'the log reader thread stopped; reading the log on the main thread',
    });
    expect(await reader.read(0n, 10)).to.equal(undefined);
    await reader.close();
  });

  it('feeds a subscription every event once and in order', async function () {
    await fill(store, 400);
    const all = await readAllOf(store);
    const reader = new SqliteLogReader(file, silentLogger());
    await pageFromThread(reader, 0n, 7);
    const here = pagesHere(file);
    let pagesReadHere = 0;

    const messages = await firstValueFrom(
      pollingSubscription({
        after: undefined,
        openPages: () =>
          new LogReadAhead({
            pageSize: 7,
            readHere: (after) => {
              pagesReadHere += 1;
              return here.read(after, 7);
            },
            readAhead: (after) => reader.read(after, 7),
          }),
        wakeUps: new Subject<void>(),
        pollIntervalMs: 5,
      }).pipe(
        takeWhile((message) => message.kind === 'event'),
        filter((message) => message.kind === 'event'),
        toArray(),
      ),
    );

    expect(messages.map((message) => message.event)).to.deep.equal(all);
    // The first page, and the empty one at the head, which the thread was
    // not asked for because the page before it was not full.
    expect(pagesReadHere).to.equal(2);
    here.close();
    await reader.close();
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import { expect } from 'chai';
import { filter, firstValueFrom, takeWhile, toArray } from 'rxjs';

import { silentLogger } from '../../src/logger.js';
import { CorruptEventError } from '../../src/ports/errors.js';
import type { NewEvent, RecordedEvent } from '../../src/ports/event-store.js';
import { SqliteEventStore } from '../../src/storage/sqlite/sqlite-event-store.js';
import { eventStoreContract } from '../contract/event-store.contract.js';
import { rejectionOf } from '../support/rejection.js';

eventStoreContract('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-es-'));
  const store = new SqliteEventStore({
    file: path.join(dir, 'events.sqlite'),
    logger: silentLogger(),
  });

  return {
    store,
    teardown: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

// Pages of two: subscriptions past a page or two read the rest ahead, on
// the log reader's thread once it is up.
eventStoreContract('sqlite, in pages of two', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-es-'));
  const store = new SqliteEventStore({
    file: path.join(dir, 'events.sqlite'),
    logger: silentLogger(),
    pageSize: 2,
  });

  return {
    store,
    teardown: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

function counted(n: number): NewEvent {
  return {
    type: 'Counted',
    data: { n },
    metadata: {
      tenantId: 't',
      correlationId: 'c',
      causationId: 'c',
      schemaVersion: 1,
    },
  };
}

async function appendCounted(store: SqliteEventStore, count: number) {
  for (let first = 0; first < count; first += 50) {
    const events = Array.from({ length: 50 }, (_, i) => counted(first + i));
    await store.append(`stream-${first}`, events, 'no_stream');
  }
}

/** The events a new subscription delivers before it has caught up. */
function catchUp(store: SqliteEventStore): Promise<RecordedEvent[]> {
  return firstValueFrom(
    store.subscribe().pipe(
      takeWhile((message) => message.kind === 'event'),
      filter((message) => message.kind === 'event'),
      toArray(),
    ),
  ).then((messages) => messages.map((message) => message.event));
}

describe('SqliteEventStore', function () {
  it('has no head position while its log is empty', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-es-'));
    const store = new SqliteEventStore({
      file: path.join(dir, 'events.sqlite'),
      logger: silentLogger(),
    });

    const empty = await store.headPosition();
    const { position } = await store.append(
      'tenant-1',
      [
        {
          type: 'Counted',
          data: {},
          metadata: {
            tenantId: 't',
            correlationId: 'c',
            causationId: 'c',
            schemaVersion: 1,
          },
        },
      ],
      'no_stream',
    );

    expect(empty).to.equal(undefined);
    expect(await store.headPosition()).to.equal(position);
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('completes its live subscriptions when it closes', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-es-'));
    const store = new SqliteEventStore({
      file: path.join(dir, 'events.sqlite'),
      logger: silentLogger(),
      pollIntervalMs: 5,
    });
    const outcome = new Promise<string>((resolve) => {
      store.subscribe().subscribe({
        next: (message) => {
          if (message.kind === 'caught-up') void store.close();
        },
        error: (error: unknown) => resolve(`error: ${String(error)}`),
        complete: () => resolve('complete'),
      });
    });

    expect(await outcome).to.equal('complete');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('subscriptions in small pages', function () {
    let dir: string;
    let file: string;
    let store: SqliteEventStore;

    beforeEach(function () {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-es-'));
      file = path.join(dir, 'events.sqlite');
      store = new SqliteEventStore({
        file,
        logger: silentLogger(),
        pageSize: 10,
        pollIntervalMs: 5,
      });
    });

    afterEach(async function () {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('deliver every event once, in order, however often they run', async function () {
      await appendCounted(store, 2000);
      const all: RecordedEvent[] = [];
      for await (const event of store.readAll()) all.push(event);

      // The first catch-up starts the reader thread; later ones use it.
      const runs = [];
      for (let run = 0; run < 4; run += 1) runs.push(await catchUp(store));

      for (const events of runs) expect(events).to.deep.equal(all);
    });

    it('report a corrupt event after the events before its page', async function () {
      await appendCounted(store, 2000);
      await catchUp(store);
      const writer = new Database(file);
      writer
        .prepare('UPDATE events SET data = ? WHERE position = ?')
        .run('not json', 1505);
      writer.close();
      const delivered: bigint[] = [];

      const failure = await rejectionOf(
        new Promise((resolve, reject) => {
          store.subscribe().subscribe({
            next: (message) => {
              if (message.kind === 'event') {
                delivered.push(message.event.position);
              }
            },
            error: reject,
            complete: () => resolve(undefined),
          });
        }),
      );

      expect(failure).to.be.instanceOf(CorruptEventError);
      expect((failure as CorruptEventError).streamName).to.equal('stream-1500');
      expect((failure as CorruptEventError).revision).to.equal(4n);
      expect(delivered).to.deep.equal(
        Array.from({ length: 1500 }, (_, i) => BigInt(i + 1)),
      );
    });

    it('complete without an error when the store closes mid-way', async function () {
      await appendCounted(store, 5000);
      await catchUp(store);
      let delivered = 0;

      const outcome = await new Promise<string>((resolve) => {
        store.subscribe().subscribe({
          next: () => {
            delivered += 1;
            if (delivered === 100) void store.close();
          },
          error: (error: unknown) => resolve(`error: ${String(error)}`),
          complete: () => resolve('complete'),
        });
      });

      expect(outcome).to.equal('complete');
      expect(delivered).to.be.within(100, 4999);
    });
  });
});

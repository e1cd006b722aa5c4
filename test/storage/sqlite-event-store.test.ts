import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { silentLogger } from '../../src/logger.js';
import { SqliteEventStore } from '../../src/storage/sqlite/sqlite-event-store.js';
import { eventStoreContract } from '../contract/event-store.contract.js';

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
});

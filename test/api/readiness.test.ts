import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { buildApi } from '../../src/api/app.js';
import { eventStoreProbe, readStoreProbe } from '../../src/api/readiness.js';
import type { ReadinessProbe } from '../../src/api/readiness.js';
import { SqliteEventStore } from '../../src/storage/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../src/storage/sqlite/sqlite-read-store.js';
import { capturedLogger } from '../support/captured-logger.js';
import type { CapturedLogger } from '../support/captured-logger.js';
import { serve } from './served-app.js';

describe('GET /readyz', function () {
  let dir: string;
  let eventStore: SqliteEventStore;
  let readStore: SqliteReadStore;
  let log: CapturedLogger;

  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-readyz-'));
    log = capturedLogger('info');
    eventStore = new SqliteEventStore({
      file: path.join(dir, 'events.sqlite'),
      logger: log.logger,
    });
    readStore = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));
  });

  afterEach(async function () {
    await eventStore.close();
    await readStore.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function readyz(
    probes: ReadinessProbe[],
    readinessTimeoutMs = 1000,
  ): Promise<Response> {
    const { app } = buildApi({
      logger: log.logger,
      readiness: probes,
      readinessTimeoutMs,
    });
    const served = await serve(app);
    try {
      return await fetch(`${served.url}/readyz`);
    } finally {
      await served.close();
    }
  }

  it('answers 200 when both stores answer', async function () {
    const response = await readyz([
      eventStoreProbe(eventStore),
      readStoreProbe(readStore),
    ]);

    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({
      status: 'ready',
      checks: { eventStore: 'up', readStore: 'up' },
    });
  });

  it('answers a 503 problem naming the store that fails', async function () {
    await eventStore.close();

    const response = await readyz([
      eventStoreProbe(eventStore),
      readStoreProbe(readStore),
    ]);

    expect(response.status).to.equal(503);
    expect(response.headers.get('content-type')).to.match(
      /^application\/problem\+json/,
    );
    expect(await response.json()).to.deep.include({
      type: 'https://hakkiri.dev/problems/not_ready',
      status: 503,
      checks: { eventStore: 'down', readStore: 'up' },
    });
    const warning = log
      .lines()
      .find((line) => line.msg === 'readiness check failed');
    expect(warning).to.deep.include({
      level: 40,
      check: 'eventStore',
      outcome: 'failed',
    });
  });

  it('answers 503 when the read store refuses its ping', async function () {
    await readStore.close();

    const response = await readyz([
      eventStoreProbe(eventStore),
      readStoreProbe(readStore),
    ]);

    expect(response.status).to.equal(503);
    expect(
      ((await response.json()) as { checks: unknown }).checks,
    ).to.deep.equal({ eventStore: 'up', readStore: 'down' });
  });

  it('gives up on a store that does not answer in time', async function () {
    const hanging: ReadinessProbe = {
      name: 'readStore',
      isReady: () => new Promise<boolean>(() => {}),
    };
    const started = Date.now();

    const response = await readyz([eventStoreProbe(eventStore), hanging], 100);

    expect(response.status).to.equal(503);
    expect(Date.now() - started).to.be.lessThan(1000);
    expect(log.lines().some((line) => line.outcome === 'timeout')).to.equal(
      true,
    );
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';

import { expect } from 'chai';

import { loadConfig } from '../src/config/config.js';
import { workItemStreamName } from '../src/domain/work-item/work-item-events.js';
import { silentLogger } from '../src/logger.js';
import {
  ProjectionThread,
  ProjectionThreadError,
} from '../src/projection-thread.js';
import type { ProjectionStatus } from '../src/projections/projection-status.js';
import { workItemProjectionName } from '../src/projections/work-items/work-item-projection.js';
import { capturedLogger } from './support/captured-logger.js';
import { rejectionOf } from './support/rejection.js';
import { serviceApi } from './support/service-api.js';
import type { ServiceApi } from './support/service-api.js';
import { pause } from './support/waiting.js';
import { observedEvent } from './support/work-item-events.js';

function checkpointOf(statuses: ProjectionStatus[], name: string): bigint {
  const status = statuses.find((s) => s.name === name);
  if (!status) throw new Error(`no projection ${name}`);

  return BigInt(status.checkpoint ?? -1);
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await pause(20);
  }
}

describe('ProjectionThread', function () {
  this.timeout(30_000);

  describe('in the service', function () {
    let api: ServiceApi;

    beforeEach(async function () {
      api = await serviceApi();
      await api.settled();
    });

    afterEach(async function () {
      await api.dispose();
    });

    /** A work item of acme appended straight to the log. */
    async function appendItem(n: number): Promise<bigint> {
      const issueId = String(1000 + n);
      const event = observedEvent({
        connectionId: 'connection-1',
        issueId,
        key: `TES-${n}`,
        statusId: '1',
        statusName: 'To Do',
        statusCategory: 'new',
        createdAt: '2026-12-01T10:00:00.000Z',
        updatedAt: '2026-12-01T10:00:00.000Z',
      });
      const { position } = await api.service.eventStore.append(
        workItemStreamName('connection-1', issueId),
        [
          {
            ...event,
            metadata: {
              tenantId: api.acme.tenantId,
              correlationId: 'test',
              causationId: 'test',
              schemaVersion: 1,
            },
          },
        ],
        'any',
      );

      return position;
    }

    it('applies the log on its own thread, and stands still while held', async function () {
      const { projections } = api.service;
      const before = await appendItem(1);
      await api.settled();

      const during = await projections.atOnePosition(async (position) => {
        expect(position).to.equal(before);
        const appended = await appendItem(2);
        await pause(300);

        const held = await projections.status();
        expect(checkpointOf(held, workItemProjectionName)).to.equal(before);
        return appended;
      });

      await until(async () => {
        const statuses = await projections.status();
        return checkpointOf(statuses, workItemProjectionName) >= during;
      });
    });

    it('starts again after its thread ends unexpectedly', async function () {
      const { projections } = api.service;
      // As a crash of the thread would.
      const worker = (projections as unknown as { worker: Worker }).worker;
      await worker.terminate();

      expect(await rejectionOf(projections.status())).to.be.instanceOf(
        ProjectionThreadError,
      );
      const appended = await appendItem(3);
      await until(async () => {
        const statuses = await projections.status().catch(() => []);
        return (
          statuses.length > 0 &&
          checkpointOf(statuses, workItemProjectionName) >= appended
        );
      });
    });
  });

  describe('on its own', function () {
    let dir: string;

    beforeEach(function () {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-thread-'));
    });

    afterEach(function () {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('fails to start with a typed error, and logs why through its parent', async function () {
      const config = loadConfig({ HAKKIRI_DATA_DIR: dir });
      const captured = capturedLogger('info');
      const stores = {
        ...config,
        // A folder where the event store's file should be.
        eventStore: { kind: 'sqlite' as const, file: dir },
      };

      const error = await rejectionOf(
        ProjectionThread.start({ stores, logger: captured.logger }),
      );

      expect(error).to.be.instanceOf(ProjectionThreadError);
      const line = captured
        .lines()
        .find((l) => l['msg'] === 'the projection thread could not start');
      expect(line).to.include({ level: 50 });
      expect(line).to.have.property('err');
    });

    it('ends when stopped, and answers nothing after', async function () {
      const config = loadConfig({ HAKKIRI_DATA_DIR: dir });
      const thread = await ProjectionThread.start({
        stores: config,
        logger: silentLogger(),
      });
      expect(await thread.status()).to.have.length.greaterThan(0);

      await thread.stop();

      expect(await rejectionOf(thread.status())).to.be.instanceOf(
        ProjectionThreadError,
      );
    });
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Keyring } from '../../src/crypto/keyring.js';
import { LocalMasterKey, MasterKeys } from '../../src/crypto/master-key.js';
import { TenantEncryption } from '../../src/crypto/tenant-encryption.js';
import { silentLogger } from '../../src/logger.js';
import type { EventData } from '../../src/ports/event-store.js';
import type { Logger } from '../../src/ports/logger.js';
import type { ReadStore } from '../../src/ports/read-store.js';
import { AnalyticsProjection } from '../../src/projections/analytics/analytics-projection.js';
import { tenantsCollection } from '../../src/projections/analytics/analytics-documents.js';
import type { AnalyticsTenantDocument } from '../../src/projections/analytics/analytics-documents.js';
import { FlowAnalytics } from '../../src/projections/analytics/flow-analytics.js';
import type { FlowAnalyticsOptions } from '../../src/projections/analytics/flow-analytics.js';
import { TenantRecomputations } from '../../src/projections/analytics/tenant-recomputations.js';
import { encryptedCollections } from '../../src/projections/projection.js';
import type { Projection } from '../../src/projections/projection.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import { ProjectionWatermark } from '../../src/projections/projection-watermark.js';
import { SqliteEventStore } from '../../src/storage/sqlite/sqlite-event-store.js';
import { SqliteKeyStore } from '../../src/storage/sqlite/sqlite-key-store.js';
import { SqliteReadStore } from '../../src/storage/sqlite/sqlite-read-store.js';
import { pause } from './waiting.js';

export interface FixtureEvent {
  type: string;
  data: EventData;
}

export interface AnalyticsFixtureOptions extends FlowAnalyticsOptions {
  logger?: Logger;
  /** More projections to run beside the analytics, such as identity. */
  projections?: Projection[];
  /** Log events per recomputation slice; small ones test the turns. */
  sliceEvents?: number;
}

/**
 * The analytics projection and its recomputations over real, encrypting
 * SQLite stores in a temporary folder, with the queries over them.
 */
export async function analyticsFixture(options: AnalyticsFixtureOptions = {}) {
  const logger = options.logger ?? silentLogger();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-analytics-'));
  const rawEvents = new SqliteEventStore({
    file: path.join(dir, 'events.sqlite'),
    logger,
  });
  const rawReadStore = new SqliteReadStore(path.join(dir, 'read.sqlite'));
  const keyStore = new SqliteKeyStore({ file: path.join(dir, 'keys.sqlite') });
  const masterKeys = new MasterKeys(new LocalMasterKey(randomBytes(32)));
  const encryption = new TenantEncryption(new Keyring(keyStore, masterKeys));
  await encryption.keyring.createServiceKeys();

  const analytics = new AnalyticsProjection();
  const projections = [analytics, ...(options.projections ?? [])];
  const eventStore = encryption.events(rawEvents);
  const readStore: ReadStore = encryption.readModels(
    rawReadStore,
    encryptedCollections(projections),
  );
  const runner = new ProjectionRunner({
    eventStore,
    readStore,
    logger,
    projections,
    batchMs: 5,
  });
  const recomputations = new TenantRecomputations({
    eventStore,
    readStore,
    projection: analytics,
    logger,
    idleMs: 20,
    ...(options.sliceEvents && { sliceEvents: options.sliceEvents }),
  });
  await runner.start();
  recomputations.start();

  const watermark = new ProjectionWatermark(readStore, { timeoutMs: 20_000 });
  let last: bigint | undefined;

  /** Appends events to a stream as the tenant's, and remembers where. */
  async function append(
    tenantId: string,
    stream: string,
    events: FixtureEvent[],
  ): Promise<bigint> {
    const result = await eventStore.append(
      stream,
      events.map((event) => ({
        ...event,
        metadata: {
          tenantId,
          correlationId: 'test',
          causationId: 'test',
          schemaVersion: 1,
        },
      })),
      'any',
    );
    last = result.position;

    return result.position;
  }

  /** Waits until every append is applied and no recomputation is due. */
  async function settled(): Promise<void> {
    await watermark.reached(analytics.name, last);

    const deadline = Date.now() + 20_000;
    for (;;) {
      const busy = await readStore
        .collection<AnalyticsTenantDocument>(tenantsCollection)
        .find({ pendingWork: true }, { limit: 1 });
      if (busy.items.length === 0) return;
      if (Date.now() > deadline) throw new Error('recomputation never ended');
      await pause(10);
    }
  }

  async function tenant(): Promise<string> {
    const tenantId = randomUUID();
    await encryption.keyring.createTenantKeys(tenantId);

    return tenantId;
  }

  return {
    dir,
    eventStore,
    rawEvents,
    readStore,
    rawReadStore,
    encryption,
    runner,
    analytics,
    recomputations,
    queries: new FlowAnalytics(readStore, options),
    append,
    settled,
    tenant,
    dispose: async () => {
      await recomputations.stop();
      await runner.stop();
      await readStore.close();
      await eventStore.close();
      await keyStore.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type AnalyticsFixture = Awaited<ReturnType<typeof analyticsFixture>>;

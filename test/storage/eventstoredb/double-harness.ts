import { randomUUID } from 'node:crypto';

import { EventStoreDBClient } from '@eventstore/db-client';

import { silentLogger } from '../../../src/logger.js';
import type { NewEvent } from '../../../src/ports/event-store.js';
import type { Logger } from '../../../src/ports/logger.js';
import {
  connectEventStoreDb,
  type EventStoreDbEventStore,
} from '../../../src/storage/eventstoredb/eventstoredb-event-store.js';
import {
  startEventStoreDbDouble,
  type EventStoreDbDouble,
  type EventStoreDbDoubleOptions,
} from '../../doubles/eventstoredb-grpc-double.js';

const fastResubscribe = { resubscribeDelays: { firstMs: 50, maxMs: 200 } };

// Data and metadata hold secrets, so a test can check that logs leave
// them out.
export function newEvent(type: string, n: number): NewEvent {
  return {
    id: randomUUID(),
    type,
    data: { n, label: `secret label ${n}` },
    metadata: {
      tenantId: 'tenant-secret',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      schemaVersion: 1,
    },
  };
}

export const streamName = () => `adapter_${randomUUID().slice(0, 8)}`;

export interface Harness {
  double: EventStoreDbDouble;
  open(logger?: Logger): EventStoreDbEventStore;
  rawClient(): EventStoreDBClient;
}

/** A double per suite, and every store or client opened on it closed. */
export function withDouble(options: EventStoreDbDoubleOptions = {}): Harness {
  const closers: (() => Promise<void>)[] = [];
  const harness = {
    double: undefined as unknown as EventStoreDbDouble,
    open(logger: Logger = silentLogger()) {
      const store = connectEventStoreDb(
        harness.double.url,
        logger,
        fastResubscribe,
      );
      closers.push(() => store.close());
      return store;
    },
    rawClient() {
      const client = EventStoreDBClient.connectionString(harness.double.url);
      closers.push(() => client.dispose());
      return client;
    },
  };

  before(async function () {
    harness.double = await startEventStoreDbDouble(options);
  });
  after(async function () {
    await Promise.all(closers.map((close) => close()));
    await harness.double.close();
  });

  return harness;
}

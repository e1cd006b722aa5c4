import { randomUUID } from 'node:crypto';
import { setTimeout as pause } from 'node:timers/promises';

import { loadConfig } from '../../src/config/config.js';
import type { Config } from '../../src/config/config.js';
import { createLogger } from '../../src/logger.js';
import type { Logger } from '../../src/ports/logger.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import { openStores } from '../../src/service-stores.js';
import type { OpenStores } from '../../src/service-stores.js';
import { timeOnce } from '../measure.js';
import type { Timing } from '../measure.js';
import { factIndexes, WorkItemFacts } from './work-item-facts.js';

/** Items appended together: group commit makes them one transaction. */
const itemsPerGroup = 1000;
const statusPollMs = 5;
/** The neighbour has a tenth as many items. */
const neighbourShare = 10;

/** The service's own stores and projections, with the bench's tenants. */
export interface BenchService {
  config: Config;
  logger: Logger;
  stores: OpenStores;
  runner: ProjectionRunner;
  /** The tenant whose snapshots are measured. */
  tenant: WorkItemFacts;
  /** Another tenant in the same stores, whose documents must stay put. */
  neighbour: WorkItemFacts;
  /** Status changes appended to the measured tenant so far. */
  changes: number;
  close(): Promise<void>;
}

/**
 * Opens the stores as the service does on its embedded default, in a
 * fresh data folder, and starts every projection. Errors are logged to
 * standard error, so a failed snapshot or restore shows.
 */
export async function openBenchService(
  dataDir: string,
  items: number,
): Promise<BenchService> {
  const config = loadConfig({
    HAKKIRI_DATA_DIR: dataDir,
    HAKKIRI_SYNC_INTERVAL: 'off',
  });
  const logger = createLogger({ level: 'error', fd: 2 });
  const stores = await openStores(config, logger);
  const runner = new ProjectionRunner({
    eventStore: stores.eventStore,
    readStore: stores.readStore,
    logger,
    projections: stores.serviceProjections.all,
  });

  const tenantOf = async (items: number) => {
    const tenantId = randomUUID();
    await stores.encryption.keyring.createTenantKeys(tenantId);
    const indexes = await factIndexes(tenantId, stores.encryption.blindIndex);

    return new WorkItemFacts(tenantId, items, indexes);
  };

  return {
    config,
    logger,
    stores,
    runner,
    tenant: await tenantOf(items),
    neighbour: await tenantOf(Math.ceil(items / neighbourShare)),
    changes: 0,
    close: async () => {
      await runner.stop();
      await stores.close();
    },
  };
}

/**
 * Appends every item of both tenants, the measured one last, and counts
 * the measured tenant's status changes made so far.
 */
export async function appendTenants(
  service: BenchService,
  changesPerItem: number,
): Promise<Timing> {
  const { eventStore } = service.stores;

  return timeOnce(async () => {
    const neighbour = await appendItems(
      service.neighbour,
      eventStore,
      changesPerItem,
    );
    const tenant = await appendItems(
      service.tenant,
      eventStore,
      changesPerItem,
    );
    service.changes = service.tenant.items * changesPerItem;

    return neighbour.count + tenant.count;
  });
}

/**
 * Appends each item's observation and first status changes as one
 * append to its own stream, through the encrypting event store, a
 * thousand items at a time.
 */
function appendItems(
  facts: WorkItemFacts,
  eventStore: OpenStores['eventStore'],
  changesPerItem: number,
): Promise<Timing> {
  return timeOnce(async () => {
    let events = 0;
    for (let first = 0; first < facts.items; first += itemsPerGroup) {
      const last = Math.min(first + itemsPerGroup, facts.items);
      const appends = [];
      for (let item = first; item < last; item += 1) {
        const changes = Array.from(
          { length: changesPerItem },
          (_, step) => facts.change(step * facts.items + item).event,
        );
        appends.push(
          eventStore.append(
            facts.streamOf(item),
            [facts.observed(item), ...changes],
            'no_stream',
          ),
        );
        events += 1 + changes.length;
      }
      await Promise.all(appends);
    }

    return events;
  });
}

/** The tenant's next `count` status changes, a thousand at a time. */
export async function appendChanges(
  service: BenchService,
  count: number,
): Promise<Timing> {
  const { tenant, stores } = service;
  const first = service.changes;
  service.changes += count;

  return timeOnce(async () => {
    for (let n = first; n < first + count; n += itemsPerGroup) {
      const group = Array.from(
        { length: Math.min(itemsPerGroup, first + count - n) },
        (_, i) => tenant.change(n + i),
      );
      await Promise.all(
        group.map(({ stream, event }) =>
          stores.eventStore.append(stream, [event], 'any'),
        ),
      );
    }

    return count;
  });
}

/** Waits until every projection is live at the head of the log. */
export async function caughtUp(service: BenchService): Promise<void> {
  const head = await service.stores.eventStore.headPosition();
  const wanted = head?.toString() ?? null;

  for (;;) {
    const statuses = service.runner.status();
    const failed = statuses.find((status) => status.state === 'failed');
    if (failed) {
      throw new Error(`A projection failed: ${JSON.stringify(failed)}`);
    }
    if (statuses.every((status) => status.checkpoint === wanted)) return;

    await pause(statusPollMs);
  }
}

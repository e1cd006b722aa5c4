import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import { pathToFileURL } from 'node:url';

import { createApp } from './api/app.js';
import { ConfigError, loadConfig } from './config/config.js';
import type { Config } from './config/config.js';
import { createLogger } from './logger.js';
import type { EventStore } from './ports/event-store.js';
import type { Logger } from './ports/logger.js';
import type { ReadStore } from './ports/read-store.js';
import type { Projection } from './projections/projection.js';
import { ProjectionRunner } from './projections/projection-runner.js';
import { connectEventStoreDb } from './storage/eventstoredb/eventstoredb-event-store.js';
import { connectMongoReadStore } from './storage/mongodb/mongodb-read-store.js';
import { SqliteEventStore } from './storage/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from './storage/sqlite/sqlite-read-store.js';

export interface RunningService {
  url: string;
  eventStore: EventStore;
  readStore: ReadStore;
  projections: ProjectionRunner;
  stop(): Promise<void>;
}

/**
 * The projections that keep the read models. None yet: the first arrive
 * with the tenancy and analytics read models.
 */
const projections: Projection[] = [];

/** The composition root: config in, adapters wired to ports, server up. */
export async function startService(
  config: Config,
  logger: Logger,
): Promise<RunningService> {
  const eventStore = openEventStore(config, logger);
  const readStore = await openReadStore(config, logger);
  const runner = new ProjectionRunner({
    eventStore,
    readStore,
    logger,
    projections,
  });
  await runner.start();
  const app = createApp({ logger });

  const server = await listen(app.callback(), config.host, config.port);
  const { port } = server.address() as AddressInfo;
  const url = `http://${hostForUrl(config.host)}:${port}`;
  logger.info(
    {
      url,
      eventStore: config.eventStore.kind,
      readStore: config.readStore.kind,
    },
    `listening on ${url}`,
  );

  return {
    url,
    eventStore,
    readStore,
    projections: runner,
    // In-flight requests finish first, then the projections store their
    // last checkpoints, then the stores close.
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runner.stop();
      await readStore.close();
      await eventStore.close();
    },
  };
}

function openEventStore(config: Config, logger: Logger): EventStore {
  const settings = config.eventStore;

  return settings.kind === 'eventstoredb'
    ? connectEventStoreDb(settings.url, logger)
    : new SqliteEventStore({ file: settings.file, logger });
}

async function openReadStore(
  config: Config,
  logger: Logger,
): Promise<ReadStore> {
  const settings = config.readStore;

  return settings.kind === 'mongodb'
    ? connectMongoReadStore(settings.url, logger)
    : new SqliteReadStore(settings.file);
}

function listen(
  handler: RequestListener,
  host: string,
  port: number,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`hakkiri: invalid configuration: ${error.message}\n`);
    process.exit(2);
  }

  const logger = createLogger({ level: config.logLevel });
  const service = await startService(config, logger);

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

const runDirectly =
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(process.argv[1]).href;

if (runDirectly) await main();

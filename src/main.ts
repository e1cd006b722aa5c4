import { createServer as createHttpServer } from 'node:http';
import type { RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { pathToFileURL } from 'node:url';

import { analyticsRoutes } from './api/analytics/analytics-routes.js';
import { analyticsServices } from './api/analytics/analytics-services.js';
import { createApp } from './api/app.js';
import { eventStoreProbe, readStoreProbe } from './api/readiness.js';
import { identityRoutes } from './api/identity/identity-routes.js';
import { identityServices } from './api/identity/identity-services.js';
import type { Authenticator, RouteDefinition } from './api/route-definition.js';
import { ConfigError, loadConfig } from './config/config.js';
import type { Config } from './config/config.js';
import { developmentSecret } from './config/dev-secret.js';
import { checkTransport } from './config/transport-settings.js';
import type { TlsFiles } from './config/transport-settings.js';
import { Argon2PasswordHasher } from './crypto/argon2-password-hasher.js';
import { Keyring } from './crypto/keyring.js';
import { LocalMasterKey, MasterKeys } from './crypto/master-key.js';
import { TenantEncryption } from './crypto/tenant-encryption.js';
import { createLogger } from './logger.js';
import type { EventStore } from './ports/event-store.js';
import type { KeyStore } from './ports/key-store.js';
import type { Logger } from './ports/logger.js';
import type { ReadStore } from './ports/read-store.js';
import { AnalyticsProjection } from './projections/analytics/analytics-projection.js';
import { TenantRecomputations } from './projections/analytics/tenant-recomputations.js';
import { identityProjection } from './projections/identity/identity-projection.js';
import { encryptedCollections } from './projections/projection.js';
import type { Projection } from './projections/projection.js';
import { ProjectionRunner } from './projections/projection-runner.js';
import { connectEventStoreDb } from './storage/eventstoredb/eventstoredb-event-store.js';
import { connectMongoKeyStore } from './storage/mongodb/mongodb-key-store.js';
import { connectMongoReadStore } from './storage/mongodb/mongodb-read-store.js';
import { SqliteEventStore } from './storage/sqlite/sqlite-event-store.js';
import { SqliteKeyStore } from './storage/sqlite/sqlite-key-store.js';
import { SqliteReadStore } from './storage/sqlite/sqlite-read-store.js';

export interface RunningService {
  url: string;
  eventStore: EventStore;
  readStore: ReadStore;
  projections: ProjectionRunner;
  stop(): Promise<void>;
}

/**
 * The projections that keep the read models, made for each service: the
 * analytics projection shares its turns with the recomputations of its
 * own process only.
 */
function serviceProjections() {
  const analytics = new AnalyticsProjection();
  const all: Projection[] = [identityProjection, analytics];

  return { all, analytics };
}

/** What the API is built from once the stores are open. */
export interface ServiceParts {
  config: Config;
  logger: Logger;
  eventStore: EventStore;
  readStore: ReadStore;
  encryption: TenantEncryption;
}

/** The routes the API serves, and who may call the protected ones. */
export interface ApiWiring {
  routes: RouteDefinition[];
  authenticator: Authenticator;
}

/** Builds the API's routes and authenticator over the open stores. */
export type ApiFactory = (
  parts: ServiceParts,
) => ApiWiring | Promise<ApiWiring>;

export interface ServiceOptions {
  api?: ApiFactory;
}

/** Sessions, users and the tenant's account, over the open stores. */
const identityApi: ApiFactory = (parts) => {
  const { config, logger, eventStore, readStore, encryption } = parts;
  const identity = identityServices({
    eventStore,
    readStore,
    logger,
    hasher: new Argon2PasswordHasher(),
    blindIndex: encryption.blindIndex,
    tenantKeys: encryption.keyring,
    sessionSecret:
      config.sessionSecret ?? developmentSessionSecret(config, logger),
    sessionTtlMinutes: config.sessionTtlMinutes,
  });

  return {
    routes: [
      ...identityRoutes(identity, config.publicUrl),
      ...analyticsApiRoutes(parts),
    ],
    authenticator: identity.authenticator,
  };
};

/** The flow analytics queries and their settings. */
function analyticsApiRoutes(parts: ServiceParts): RouteDefinition[] {
  const { logger, eventStore, readStore, encryption } = parts;

  return analyticsRoutes(
    analyticsServices({
      eventStore,
      readStore,
      logger,
      blindIndex: encryption.blindIndex,
    }),
  );
}

/** Config refuses to start production without HAKKIRI_SESSION_SECRET. */
function developmentSessionSecret(config: Config, logger: Logger): Buffer {
  return developmentSecret(
    {
      dataDir: config.dataDir,
      file: 'session-secret',
      variable: 'HAKKIRI_SESSION_SECRET',
    },
    logger,
  );
}

/** Config refuses to start production without HAKKIRI_MASTER_KEY. */
function masterKeysOf(config: Config, logger: Logger): MasterKeys {
  const current =
    config.masterKey ??
    developmentSecret(
      {
        dataDir: config.dataDir,
        file: 'master-key',
        variable: 'HAKKIRI_MASTER_KEY',
      },
      logger,
    );

  return new MasterKeys(
    new LocalMasterKey(current),
    config.previousMasterKeys.map((key) => new LocalMasterKey(key)),
  );
}

/** The composition root: config in, adapters wired to ports, server up. */
export async function startService(
  config: Config,
  logger: Logger,
  { api = identityApi }: ServiceOptions = {},
): Promise<RunningService> {
  // Checked again here for configs built in code rather than loaded.
  checkTransport(config);

  const { eventStore, readStore, encryption, close } = await openStores(
    config,
    logger,
  );
  const projections = serviceProjections();
  const runner = new ProjectionRunner({
    eventStore,
    readStore,
    logger,
    projections: projections.all,
  });
  await runner.start();
  const recomputations = new TenantRecomputations({
    eventStore,
    readStore,
    projection: projections.analytics,
    logger,
  });
  recomputations.start();
  const closeStores = async () => {
    await recomputations.stop();
    await runner.stop();
    await close();
  };

  let server: Server;
  try {
    const wiring = await api({
      config,
      logger,
      eventStore,
      readStore,
      encryption,
    });
    const app = createApp({
      logger,
      ...wiring,
      readiness: [eventStoreProbe(eventStore), readStoreProbe(readStore)],
      bodyLimitBytes: config.bodyLimitBytes,
      transport: {
        tls: config.tls !== undefined,
        trustProxy: config.trustProxy,
      },
    });
    server = await listen(app.callback(), config);
  } catch (error) {
    await closeStores();
    throw error;
  }

  const { port } = server.address() as AddressInfo;
  const scheme = config.tls ? 'https' : 'http';
  const url = `${scheme}://${hostForUrl(config.host)}:${port}`;
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
      await closeStores();
    },
  };
}

/** The configured stores, open and encrypting; the CLI works on them too. */
export interface OpenStores {
  eventStore: EventStore;
  readStore: ReadStore;
  encryption: TenantEncryption;
  close(): Promise<void>;
}

/**
 * Opens the key store, the event store and the read store the config
 * names, and wraps the last two so that what they persist is sealed.
 */
export async function openStores(
  config: Config,
  logger: Logger,
): Promise<OpenStores> {
  const masterKeys = masterKeysOf(config, logger);
  const opened: { close(): Promise<void> }[] = [];
  const closeAll = async () => {
    for (const store of opened.reverse()) await store.close();
  };

  try {
    const keyStore = await openKeyStore(config, logger);
    opened.push(keyStore);
    const eventStore = openEventStore(config, logger);
    opened.push(eventStore);
    const readStore = await openReadStore(config, logger);
    opened.push(readStore);

    const encryption = new TenantEncryption(new Keyring(keyStore, masterKeys));
    await encryption.keyring.createServiceKeys();

    return {
      eventStore: encryption.events(eventStore),
      readStore: encryption.readModels(
        readStore,
        encryptedCollections(serviceProjections().all),
      ),
      encryption,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function openKeyStore(config: Config, logger: Logger): Promise<KeyStore> {
  const settings = config.keyStore;

  return settings.kind === 'mongodb'
    ? connectMongoKeyStore(settings.url, logger)
    : Promise.resolve(new SqliteKeyStore({ file: settings.file }));
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
  config: Pick<Config, 'host' | 'port' | 'tls'>,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serverFor(handler, config.tls);
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve(server));
  });
}

/** With a certificate the server speaks HTTPS only, never plain HTTP. */
function serverFor(
  handler: RequestListener,
  tls: TlsFiles | undefined,
): Server {
  if (tls === undefined) return createHttpServer(handler);

  return createHttpsServer(
    { cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' },
    handler,
  );
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

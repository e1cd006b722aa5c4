import { Keyring } from './crypto/keyring.js';
import { LocalMasterKey, MasterKeys } from './crypto/master-key.js';
import { TenantEncryption } from './crypto/tenant-encryption.js';
import type { Config, DocumentStoreSettings } from './config/config.js';
import { developmentSecret } from './config/dev-secret.js';
import type { EventStore } from './ports/event-store.js';
import type { KeyStore } from './ports/key-store.js';
import type { Logger } from './ports/logger.js';
import type { ReadStore } from './ports/read-store.js';
import { AnalyticsProjection } from './projections/analytics/analytics-projection.js';
import { connectionProjection } from './projections/connections/connection-projection.js';
import { webhookSecretProjection } from './projections/connections/webhook-secret-projection.js';
import { identityProjection } from './projections/identity/identity-projection.js';
import { encryptedCollections } from './projections/projection.js';
import type { Projection } from './projections/projection.js';
import { snapshotProjection } from './projections/snapshots/snapshot-projection.js';
import { workItemProjection } from './projections/work-items/work-item-projection.js';
import { connectEventStoreDb } from './storage/eventstoredb/eventstoredb-event-store.js';
import { connectMongoKeyStore } from './storage/mongodb/mongodb-key-store.js';
import { connectMongoReadStore } from './storage/mongodb/mongodb-read-store.js';
import { SqliteEventStore } from './storage/sqlite/sqlite-event-store.js';
import { SqliteKeyStore } from './storage/sqlite/sqlite-key-store.js';
import { SqliteReadStore } from './storage/sqlite/sqlite-read-store.js';

/** The projections of one service, made for it. */
export interface ServiceProjections {
  /** Those that keep the tenants' read models: what a snapshot holds. */
  tenant: Projection[];
  /** Every projection the runner runs. */
  all: Projection[];
  /** Takes turns with the recomputations of its own process only. */
  analytics: AnalyticsProjection;
}

export function serviceProjections(): ServiceProjections {
  const analytics = new AnalyticsProjection();
  const tenant = [
    identityProjection,
    connectionProjection,
    webhookSecretProjection,
    workItemProjection,
    analytics,
  ];

  return { tenant, all: [...tenant, snapshotProjection], analytics };
}

/** What opening the stores takes from the config. */
export type StoreConfig = Pick<
  Config,
  | 'dataDir'
  | 'eventStore'
  | 'readStore'
  | 'keyStore'
  | 'snapshotStore'
  | 'commandStateStore'
  | 'masterKey'
  | 'previousMasterKeys'
>;

/** Only what opening the stores takes, to hand to another thread. */
export function storeConfigOf(config: StoreConfig): StoreConfig {
  const { dataDir, eventStore, readStore, keyStore, snapshotStore } = config;
  const { commandStateStore, masterKey, previousMasterKeys } = config;

  return {
    dataDir,
    eventStore,
    readStore,
    keyStore,
    snapshotStore,
    commandStateStore,
    masterKey,
    previousMasterKeys,
  };
}

/** Config refuses to start production without HAKKIRI_MASTER_KEY. */
function masterKeysOf(config: StoreConfig, logger: Logger): MasterKeys {
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

/** The configured stores, open and encrypting; the CLI works on them too. */
export interface OpenStores {
  eventStore: EventStore;
  readStore: ReadStore;
  /** The read store below encryption: sealed fields as stored. */
  storedReadModels: ReadStore;
  /** Where snapshot copies are kept; the vault seals each chunk itself. */
  snapshotVault: ReadStore;
  /**
   * What commands keep between requests, which no projection writes and
   * no replay rebuilds: webhook deliveries seen, sync leases and
   * progress, restore gates. It holds no customer content.
   */
  commandState: ReadStore;
  encryption: TenantEncryption;
  serviceProjections: ServiceProjections;
  close(): Promise<void>;
}

/**
 * Opens the key store, the event store and the read store the config
 * names, and wraps the last two so that what they persist is sealed.
 */
export async function openStores(
  config: StoreConfig,
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
    const vault = await besideReadModels(config.snapshotStore, readStore);
    if (vault !== readStore) opened.push(vault);
    const commandState = await besideReadModels(
      config.commandStateStore,
      readStore,
    );
    if (commandState !== readStore) opened.push(commandState);

    const encryption = new TenantEncryption(new Keyring(keyStore, masterKeys));
    await encryption.keyring.createServiceKeys();
    const projections = serviceProjections();

    return {
      eventStore: encryption.events(eventStore),
      readStore: encryption.readModels(
        readStore,
        encryptedCollections(projections.all),
      ),
      storedReadModels: readStore,
      snapshotVault: vault,
      commandState,
      encryption,
      serviceProjections: projections,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function openKeyStore(config: StoreConfig, logger: Logger): Promise<KeyStore> {
  const settings = config.keyStore;

  return settings.kind === 'mongodb'
    ? connectMongoKeyStore(settings.url, logger)
    : Promise.resolve(new SqliteKeyStore({ file: settings.file }));
}

function openEventStore(config: StoreConfig, logger: Logger): EventStore {
  const settings = config.eventStore;

  return settings.kind === 'eventstoredb'
    ? connectEventStoreDb(settings.url, logger)
    : new SqliteEventStore({ file: settings.file, logger });
}

async function openReadStore(
  config: StoreConfig,
  logger: Logger,
): Promise<ReadStore> {
  const settings = config.readStore;

  return settings.kind === 'mongodb'
    ? connectMongoReadStore(settings.url, logger)
    : new SqliteReadStore(settings.file);
}

/** SQLite keeps such data in a file of its own; MongoDB beside the rest. */
async function besideReadModels(
  settings: DocumentStoreSettings,
  readStore: ReadStore,
): Promise<ReadStore> {
  return settings.kind === 'mongodb'
    ? readStore
    : new SqliteReadStore(settings.file);
}

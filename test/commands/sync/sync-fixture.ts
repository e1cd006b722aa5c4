import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ConnectionAdministration } from '../../../src/commands/connections/connection-administration.js';
import { defaultRetrySettings } from '../../../src/commands/connectors/retry-policy.js';
import { HttpJiraClient } from '../../../src/commands/jira/http-jira-client.js';
import { JiraSync } from '../../../src/commands/sync/jira-sync.js';
import { SyncLedger } from '../../../src/commands/sync/sync-ledger.js';
import { WorkItemRecorder } from '../../../src/commands/work-items/work-item-recorder.js';
import { WorkflowCatalog } from '../../../src/commands/work-items/workflow-catalog.js';
import { Keyring } from '../../../src/crypto/keyring.js';
import { LocalMasterKey, MasterKeys } from '../../../src/crypto/master-key.js';
import { TenantEncryption } from '../../../src/crypto/tenant-encryption.js';
import { silentLogger } from '../../../src/logger.js';
import type { RecordedEvent } from '../../../src/ports/event-store.js';
import { SqliteEventStore } from '../../../src/storage/sqlite/sqlite-event-store.js';
import { SqliteKeyStore } from '../../../src/storage/sqlite/sqlite-key-store.js';
import { SqliteReadStore } from '../../../src/storage/sqlite/sqlite-read-store.js';
import { JiraDouble } from '../../doubles/jira/jira-double.js';
import type { JiraDoubleOptions } from '../../doubles/jira/jira-double.js';

export interface SyncOptions {
  holder?: string;
  leaseMs?: number;
  timeoutMs?: number;
}

/**
 * A connection to a Jira double over real, encrypting SQLite stores,
 * and syncs of it, as many as a test wants (each an instance of its
 * own, as separate processes would be).
 */
export async function syncFixture(options: JiraDoubleOptions) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-sync-'));
  const logger = silentLogger();
  const rawEvents = new SqliteEventStore({
    file: path.join(dir, 'events.sqlite'),
    logger,
  });
  const rawReads = new SqliteReadStore(path.join(dir, 'read-models.sqlite'));
  const keyStore = new SqliteKeyStore({ file: path.join(dir, 'keys.sqlite') });
  const encryption = new TenantEncryption(
    new Keyring(keyStore, new MasterKeys(new LocalMasterKey(randomBytes(32)))),
  );
  await encryption.keyring.createServiceKeys();
  const eventStore = encryption.events(rawEvents);
  const readStore = encryption.readModels(rawReads, new Map());

  const tenantId = randomUUID();
  await encryption.keyring.createTenantKeys(tenantId);
  const double = await JiraDouble.start({ recordRequests: true, ...options });
  const clients: HttpJiraClient[] = [];
  const client = (timeoutMs = 2000) => {
    const made = new HttpJiraClient({
      logger,
      allowPrivateTargets: true,
      timeoutMs,
      retry: { ...defaultRetrySettings, maxFailedAttempts: 2 },
      sleep: async () => {},
    });
    clients.push(made);
    return made;
  };
  const connections = new ConnectionAdministration({
    store: eventStore,
    logger,
    jira: client(),
    allowPrivateTargets: true,
  });
  const created = await connections.create(
    { tenantId, requestId: 'setup' },
    {
      kind: double.kind,
      name: 'Jira',
      baseUrl: double.baseUrl,
      credentials: double.credentials,
      caCertificate: double.caCertificate,
    },
  );

  function sync(settings: SyncOptions = {}): JiraSync {
    return new JiraSync({
      connections,
      jira: client(settings.timeoutMs),
      recorder: new WorkItemRecorder({ store: eventStore, logger }),
      workflows: new WorkflowCatalog({ store: eventStore, logger }),
      ledger: new SyncLedger(readStore, settings.leaseMs ?? 60_000),
      blindIndex: encryption.blindIndex,
      logger,
      holder: settings.holder ?? randomUUID(),
    });
  }

  /** Runs a sync to its end and answers how it ended. */
  async function runSync(settings: SyncOptions = {}) {
    const started = await sync(settings).start(
      tenantId,
      created.connectionId,
      'admin',
    );
    if (started.kind !== 'started') throw new Error('the sync was busy');

    return started.done;
  }

  /** Every work-item fact in the log, in order. */
  async function facts(): Promise<RecordedEvent[]> {
    const all: RecordedEvent[] = [];
    for await (const event of eventStore.readAll()) {
      if (event.streamName.startsWith('work-item-')) all.push(event);
    }

    return all;
  }

  return {
    double,
    tenantId,
    connectionId: created.connectionId,
    readStore,
    sync,
    runSync,
    facts,
    ledger: new SyncLedger(readStore, 60_000),
    dispose: async () => {
      for (const made of clients) made.close();
      await double.close();
      await readStore.close();
      await eventStore.close();
      await keyStore.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type SyncFixture = Awaited<ReturnType<typeof syncFixture>>;

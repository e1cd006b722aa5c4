import { ConnectionAdministration } from '../../commands/connections/connection-administration.js';
import type { JiraClient } from '../../commands/jira/jira-client.js';
import { JiraSync } from '../../commands/sync/jira-sync.js';
import { SyncLedger } from '../../commands/sync/sync-ledger.js';
import { SyncScheduler } from '../../commands/sync/sync-scheduler.js';
import { WebhookIngestion } from '../../commands/webhooks/webhook-ingestion.js';
import { WorkItemRecorder } from '../../commands/work-items/work-item-recorder.js';
import { WorkflowCatalog } from '../../commands/work-items/workflow-catalog.js';
import type { BlindIndex } from '../../ports/blind-index.js';
import type { EventStore } from '../../ports/event-store.js';
import type { Logger } from '../../ports/logger.js';
import type { ReadStore } from '../../ports/read-store.js';
import { ConnectionDirectory } from '../../projections/connections/connection-directory.js';
import { connectionProjectionName } from '../../projections/connections/connection-projection.js';
import { webhookSecretProjectionName } from '../../projections/connections/webhook-secret-projection.js';
import { ProjectionWatermark } from '../../projections/projection-watermark.js';
import { WorkItemList } from '../../projections/work-items/work-item-list.js';

export interface ConnectionSettings {
  eventStore: EventStore;
  readStore: ReadStore;
  /** Where sync leases and webhook deliveries seen are kept. */
  commandState: ReadStore;
  logger: Logger;
  blindIndex: BlindIndex;
  jira: JiraClient;
  allowPrivateTargets: boolean;
  /** Where clients reach the API; webhook URLs are built on it. */
  publicUrl: string;
  /** How often every active connection syncs; 0 for never. */
  syncIntervalMs: number;
  syncLeaseMs?: number;
  now?: () => Date;
}

/** Connections, their sync and the work items they bring, wired. */
export function connectionServices(settings: ConnectionSettings) {
  const { eventStore: store, readStore, logger } = settings;
  const directory = new ConnectionDirectory(readStore);
  const administration = new ConnectionAdministration({
    store,
    logger,
    jira: settings.jira,
    allowPrivateTargets: settings.allowPrivateTargets,
    ...(settings.now ? { now: settings.now } : {}),
  });
  const ledger = new SyncLedger(
    settings.commandState,
    settings.syncLeaseMs ?? 120_000,
  );
  const recorder = new WorkItemRecorder({ store, logger });
  const workflows = new WorkflowCatalog({ store, logger });
  const sync = new JiraSync({
    connections: administration,
    jira: settings.jira,
    recorder,
    workflows,
    ledger,
    blindIndex: settings.blindIndex,
    logger,
    ...(settings.now ? { now: settings.now } : {}),
  });
  const watermark = new ProjectionWatermark(readStore);
  const webhookBase = `${settings.publicUrl.replace(/\/+$/, '')}/v1/webhooks/jira/`;

  return {
    directory,
    administration,
    ledger,
    recorder,
    workflows,
    syncs: new SyncScheduler({
      sync,
      activeConnections: () => directory.everyActive(),
      logger,
      intervalMs: settings.syncIntervalMs,
    }),
    workItems: new WorkItemList(readStore),
    webhooks: new WebhookIngestion({
      recorder,
      workflows,
      store: settings.commandState,
      blindIndex: settings.blindIndex,
      logger,
      ...(settings.now ? { now: settings.now } : {}),
    }),
    blindIndex: settings.blindIndex,
    webhookUrl: (connectionId: string) => webhookBase + connectionId,
    /**
     * Resolves once the connection read models show a write: a disabled
     * connection or a rotated secret holds for the next delivery.
     */
    applied: async (position: bigint | undefined) => {
      await watermark.reached(connectionProjectionName, position);
      await watermark.reached(webhookSecretProjectionName, position);
    },
  };
}

export type ConnectionServices = ReturnType<typeof connectionServices>;

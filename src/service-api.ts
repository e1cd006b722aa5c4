import { analyticsRoutes } from './api/analytics/analytics-routes.js';
import { analyticsServices } from './api/analytics/analytics-services.js';
import { connectionRoutes } from './api/connections/connection-routes.js';
import { connectionServices } from './api/connections/connection-services.js';
import { identityRoutes } from './api/identity/identity-routes.js';
import { identityServices } from './api/identity/identity-services.js';
import type { Authenticator, RouteDefinition } from './api/route-definition.js';
import { snapshotRoutes } from './api/snapshots/snapshot-routes.js';
import { webhookRoutes } from './api/webhooks/webhook-routes.js';
import { workItemRoutes } from './api/work-items/work-item-routes.js';
import { HttpJiraClient } from './commands/jira/http-jira-client.js';
import { Housekeeping } from './commands/retention/housekeeping.js';
import { RetentionSweep } from './commands/retention/retention-sweep.js';
import { RestoreGate } from './commands/snapshots/restore-gate.js';
import { SnapshotAdministration } from './commands/snapshots/snapshot-administration.js';
import { purgeExpiredDeliveries } from './commands/webhooks/webhook-ingestion.js';
import type { Config } from './config/config.js';
import { developmentSecret } from './config/dev-secret.js';
import { Argon2PasswordHasher } from './crypto/argon2-password-hasher.js';
import type { Logger } from './ports/logger.js';
import { IdentityDirectory } from './projections/identity/identity-directory.js';
import type { ProjectionHold } from './projections/projection-runner.js';
import { ProjectionWatermark } from './projections/projection-watermark.js';
import { ReadModelSnapshots } from './projections/snapshots/read-model-snapshots.js';
import { SnapshotDirectory } from './projections/snapshots/snapshot-directory.js';
import { snapshotProjectionName } from './projections/snapshots/snapshot-projection.js';
import type { OpenStores } from './service-stores.js';

/** What the API is built from once the stores are open. */
export interface ServiceParts extends OpenStores {
  config: Config;
  logger: Logger;
  runner: ProjectionHold;
}

/** Work that runs beside the API, such as scheduled syncs. */
export interface BackgroundWork {
  start(): void;
  /** Lets work in flight end; runs before the stores close. */
  stop(): Promise<void>;
}

/** The routes the API serves, and who may call the protected ones. */
export interface ApiWiring {
  routes: RouteDefinition[];
  authenticator: Authenticator;
  /** Seconds until a tenant's read models can be read; 0 when now. */
  tenantAvailability?: (tenantId: string) => Promise<number>;
  background?: BackgroundWork;
}

/** Builds the API's routes and authenticator over the open stores. */
export type ApiFactory = (
  parts: ServiceParts,
) => ApiWiring | Promise<ApiWiring>;

/**
 * Sessions, users and the tenant's account; connections, their sync and
 * webhooks; the work items they bring and their flow analytics; and
 * snapshots, over the open stores.
 */
export const serviceApi: ApiFactory = (parts) => {
  const { config, logger, eventStore, readStore, encryption } = parts;
  const { commandState } = parts;
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
  const { allowPrivateTargets } = config;
  if (allowPrivateTargets) {
    logger.warn(
      'HAKKIRI_ALLOW_PRIVATE_TARGETS is on: connections may reach private ' +
        'and loopback addresses. Never use this for customers.',
    );
  }
  const jira = new HttpJiraClient({ logger, allowPrivateTargets });
  const connections = connectionServices({
    eventStore,
    readStore,
    commandState,
    logger,
    blindIndex: encryption.blindIndex,
    jira,
    allowPrivateTargets,
    publicUrl: config.publicUrl,
    syncIntervalMs: config.syncIntervalMs,
  });

  const analytics = analyticsServices({
    eventStore,
    readStore,
    logger,
    blindIndex: encryption.blindIndex,
  });
  const snapshots = snapshotServices(parts, identity);

  return {
    routes: [
      ...identityRoutes(identity, config.publicUrl),
      ...snapshotRoutes(snapshots),
      ...connectionRoutes(connections),
      ...workItemRoutes(connections),
      ...analyticsRoutes(analytics),
      ...webhookRoutes({
        directory: connections.directory,
        ingestion: connections.webhooks,
        bodyLimitBytes: config.webhookBodyLimitBytes,
      }),
    ],
    authenticator: identity.authenticator,
    tenantAvailability: (tenantId) =>
      snapshots.restores.retryAfterSeconds(tenantId),
    background: {
      start: () => {
        connections.syncs.startTimer();
        snapshots.housekeeping.start();
      },
      stop: async () => {
        await connections.syncs.stop();
        await snapshots.housekeeping.stop();
        await snapshots.settle();
        jira.close();
      },
    },
  };
};

/** Snapshots, their retention, and the other data with a lifetime. */
function snapshotServices(
  parts: ServiceParts,
  identity: ReturnType<typeof identityServices>,
) {
  const { readStore, logger } = parts;
  const { administration, directory, restores, sweep } = retention(parts);
  const inFlight = new Set<Promise<void>>();
  const watermark = new ProjectionWatermark(readStore);

  return {
    administration,
    directory,
    restores,
    housekeeping: new Housekeeping({
      sweep,
      snapshots: administration,
      tenants: () => identity.directory.activeTenantIds(),
      lastSnapshotAt: (tenantId) => directory.lastRequestedAt(tenantId),
      logger,
    }),
    applied: (position: bigint | undefined) =>
      watermark.reached(snapshotProjectionName, position),
    track: (work: Promise<void>) => {
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    },
    settle: async () => {
      await Promise.allSettled([...inFlight]);
    },
  };
}

/**
 * What takes, restores and deletes snapshots, and the sweep that deletes
 * them, and the other data with a lifetime, once expired. The CLI's
 * `retention sweep` runs the same sweep.
 */
export function retention(
  parts: Omit<OpenStores, 'close'> & {
    config: Config;
    logger: Logger;
    runner: ProjectionHold;
  },
) {
  const { config, logger, eventStore, readStore, commandState } = parts;
  const { tenant, analytics } = parts.serviceProjections;
  const restores = new RestoreGate(commandState);
  const directory = new SnapshotDirectory(readStore);
  const administration = new SnapshotAdministration({
    store: eventStore,
    logger,
    copies: new ReadModelSnapshots({
      runner: parts.runner,
      projections: tenant,
      storedReadModels: parts.storedReadModels,
      readModels: readStore,
      vault: parts.snapshotVault,
      cipher: parts.encryption.cipher,
      eventStore,
      logger,
      holdWriters: (work) => analytics.coordination.exclusive(work),
    }),
    restores,
    retentionDays: config.snapshotRetentionDays,
  });
  const sessions = new IdentityDirectory(readStore);
  const sweep = new RetentionSweep({
    snapshots: administration,
    expiredSnapshots: async (now) =>
      (await directory.expired(now)).map((doc) => ({
        tenantId: doc.tenantId,
        snapshotId: doc._id,
      })),
    purges: [
      {
        name: 'webhook deliveries',
        purge: (now) => purgeExpiredDeliveries(commandState, now),
      },
      {
        name: 'sessions',
        purge: (now) => sessions.forgetExpiredSessions(now),
      },
    ],
    logger,
  });

  return { administration, directory, restores, sweep };
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

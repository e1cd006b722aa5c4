import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { connectionServices } from '../../src/api/connections/connection-services.js';
import { HttpJiraClient } from '../../src/commands/jira/http-jira-client.js';
import { syncJql } from '../../src/commands/jira/sync-query.js';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/logger.js';
import { openStores } from '../../src/service-stores.js';
import type { JiraDouble } from '../../test/doubles/jira/jira-double.js';
import { rawSearch } from '../../test/doubles/jira/raw-search.js';

/** One timed pass over every issue of the double. */
export interface SyncRound {
  issues: number;
  seconds: number;
  /** This process's CPU time, the double's share included. */
  cpuSeconds: number;
  /** Facts appended to the event store; 0 for the stub-only fetch. */
  facts: number;
}

/** What a first sync asks for: every issue, oldest first. */
export function firstSyncJql(double: JiraDouble): string {
  return syncJql({
    since: null,
    overlapMs: 5 * 60_000,
    timeZone: double.timeZone,
    projects: [],
  });
}

async function timed(
  work: () => Promise<{ issues: number; facts: number }>,
): Promise<SyncRound> {
  const cpuAtStart = process.cpuUsage();
  const start = performance.now();
  const { issues, facts } = await work();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuAtStart);

  return { issues, facts, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/**
 * A first sync of the double's issues, as the service runs one: the
 * stores `openStores` opens in a fresh data folder (encrypting SQLite),
 * the JiraSync that `connectionServices` wires, the HttpJiraClient, and
 * a connection made by the administration. Timed from `start` until
 * `done` resolves; the stores are new, so every fact is recorded.
 */
export async function syncRound(double: JiraDouble): Promise<SyncRound> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-sync-bench-'));
  const logger = silentLogger();
  const config = loadConfig({
    NODE_ENV: 'development',
    HAKKIRI_DATA_DIR: dir,
    HAKKIRI_ALLOW_PRIVATE_TARGETS: 'true',
  });
  const stores = await openStores(config, logger);
  const jira = new HttpJiraClient({ logger, allowPrivateTargets: true });

  try {
    const tenantId = randomUUID();
    await stores.encryption.keyring.createTenantKeys(tenantId);
    const services = connectionServices({
      eventStore: stores.eventStore,
      readStore: stores.readStore,
      commandState: stores.commandState,
      logger,
      blindIndex: stores.encryption.blindIndex,
      jira,
      allowPrivateTargets: true,
      publicUrl: config.publicUrl,
      syncIntervalMs: 0,
    });
    const { connectionId } = await services.administration.create(
      { tenantId, requestId: 'bench' },
      {
        kind: double.kind,
        name: 'Bench Jira',
        baseUrl: double.baseUrl,
        credentials: double.credentials,
        caCertificate: double.caCertificate,
      },
    );
    const before = (await stores.eventStore.headPosition()) ?? 0n;

    return await timed(async () => {
      const started = await services.syncs.start(
        tenantId,
        connectionId,
        'admin',
      );
      if (started.kind !== 'started') throw new Error('the sync was busy');
      const outcome = await started.done;
      if (outcome.state !== 'succeeded') {
        throw new Error(
          `the sync ${outcome.state}: ${outcome.lastError?.reason}`,
        );
      }

      const after = (await stores.eventStore.headPosition()) ?? 0n;
      return {
        issues: outcome.run?.itemsSeen ?? 0,
        facts: Number(after - before),
      };
    });
  } finally {
    jira.close();
    await stores.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The stub-only rate: the same pages and changelogs, fetched bare. */
export function rawRound(double: JiraDouble): Promise<SyncRound> {
  return timed(async () => {
    const result = await rawSearch(double, firstSyncJql(double));
    return { issues: result.issues, facts: 0 };
  });
}

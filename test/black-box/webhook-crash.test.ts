import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { signatureOf } from '../../src/commands/webhooks/webhook-signature.js';
import { silentLogger } from '../../src/logger.js';
import { SqliteEventStore } from '../../src/storage/sqlite/sqlite-event-store.js';
import { JiraDouble } from '../doubles/jira/jira-double.js';
import { BlackBoxService } from '../support/black-box-service.js';
import { webhookFixture } from '../support/jira-fixtures.js';

const deliveries = Number(process.env.CRASH_DELIVERIES ?? 5_000);
const clients = 16;
const killAfterAcks = Math.floor(deliveries * 0.3);

interface Delivery {
  id: string;
  raw: string;
  changelogId: string;
}

/** 5,000 distinct issues, each moving to In Progress once. */
function makeDeliveries(): Delivery[] {
  const template = webhookFixture('webhook-issue-updated-started-working.json')
    .body as unknown as {
    issue: { id: string; key: string; fields: { updated: string } };
    changelog: { id: string };
  };

  return Array.from({ length: deliveries }, (_, n) => {
    const body = structuredClone(template);
    body.issue.id = String(200_000 + n);
    body.issue.key = `CRASH-${n}`;
    body.changelog.id = String(900_000 + n);

    return {
      id: `delivery-${n}`,
      raw: JSON.stringify(body),
      changelogId: body.changelog.id,
    };
  });
}

/**
 * The server is killed while deliveries pour in, then restarted, and
 * every delivery that was not acknowledged is sent again, as Jira does.
 * Each acknowledged delivery must be in the store, and none twice.
 */
describe('black box: webhooks across a crash', function () {
  this.timeout(240_000);

  let dataDir: string;
  let jira: JiraDouble;
  const service = new BlackBoxService(() => ({
    MONGODB_URL: '',
    EVENTSTORE_URL: '',
    NODE_ENV: 'development',
    HAKKIRI_DATA_DIR: dataDir,
    HAKKIRI_PORT: '0',
    HAKKIRI_LOG_LEVEL: 'info',
    HAKKIRI_ALLOW_PRIVATE_TARGETS: 'true',
    HAKKIRI_SYNC_INTERVAL: 'off',
  }));

  before(async function () {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-crash-'));
    jira = await JiraDouble.start({ kind: 'jira-cloud' });
  });

  after(async function () {
    await service.stop();
    await jira.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged delivery exactly once', async function () {
    await service.start();
    const { id, secret } = await connect();
    const all = makeDeliveries();
    const acked = new Set<string>();

    let killed: Promise<void> | undefined;
    await postAll(all, id, secret, acked, async () => {
      if (acked.size >= killAfterAcks) killed ??= service.kill();
      await killed;
    });
    const ackedBeforeKill = acked.size;
    expect(ackedBeforeKill).to.be.within(killAfterAcks, deliveries - 1);

    await service.start();
    const unacked = all.filter((delivery) => !acked.has(delivery.id));
    await postAll(unacked, id, secret, acked);
    expect(acked.size).to.equal(deliveries);
    await service.stop();

    const counts = await changeCounts();
    const missing = all.filter((d) => counts.get(d.changelogId) === undefined);
    const repeated = [...counts.values()].filter((count) => count > 1);
    expect(missing.map((d) => d.id)).to.deep.equal([]);
    expect(repeated).to.deep.equal([]);
    expect(counts.size).to.equal(deliveries);
  });

  async function connect(): Promise<{ id: string; secret: string }> {
    const password = 'the first admin password';
    await service.cli(
      ['tenant', 'create', '--slug', 'acme', '--name', 'Acme', '--admin', 'al'],
      { HAKKIRI_ADMIN_PASSWORD: password },
    );
    const token = await service.login('acme', 'al', password);
    const created = await service.call('POST', '/v1/connections', {
      token,
      body: {
        kind: 'jira-cloud',
        name: 'Jira',
        baseUrl: jira.baseUrl,
        credentials: jira.credentials,
        caCertificate: jira.caCertificate,
      },
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);

    const webhook = created.body.webhook as { secret: string };
    return { id: created.body.id as string, secret: webhook.secret };
  }

  /** Posts from concurrent clients; a failed post is simply not acked. */
  async function postAll(
    list: Delivery[],
    connectionId: string,
    secret: string,
    acked: Set<string>,
    afterEach?: () => Promise<void>,
  ): Promise<void> {
    const queue = [...list];
    const url = `${service.baseUrl}/v1/webhooks/jira/${connectionId}`;

    const client = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        if (await delivered(url, next, secret)) acked.add(next.id);
        await afterEach?.();
      }
    };
    await Promise.all(Array.from({ length: clients }, client));
  }

  async function changeCounts(): Promise<Map<string, number>> {
    const store = new SqliteEventStore({
      file: path.join(dataDir, 'events.sqlite'),
      logger: silentLogger(),
    });
    const counts = new Map<string, number>();
    try {
      for await (const event of store.readAll()) {
        if (event.type !== 'WorkItemStatusChanged') continue;
        const changelogId = String(event.data['changelogId']);
        counts.set(changelogId, (counts.get(changelogId) ?? 0) + 1);
      }
    } finally {
      await store.close();
    }

    return counts;
  }
});

async function delivered(
  url: string,
  delivery: Delivery,
  secret: string,
): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature': signatureOf(delivery.raw, secret),
        'x-atlassian-webhook-identifier': delivery.id,
      },
      body: delivery.raw,
    });
    await response.arrayBuffer();

    return response.status === 202;
  } catch {
    return false;
  }
}

import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';
import { BSON, MongoClient } from 'mongodb';

import { slugIndex } from '../../src/commands/identity/accounts.js';
import { loadConfig } from '../../src/config/config.js';
import { tenantStreamName } from '../../src/domain/tenant/tenant.js';
import { silentLogger } from '../../src/logger.js';
import { openStores } from '../../src/service-stores.js';
import { signatureOf } from '../../src/commands/webhooks/webhook-signature.js';
import { TenantKeysDeletedError } from '../../src/ports/errors.js';
import { tenantsCollection } from '../../src/projections/identity/identity-documents.js';
import { SqliteEventStore } from '../../src/storage/sqlite/sqlite-event-store.js';
import { JiraDouble } from '../doubles/jira/jira-double.js';
import { BlackBoxService } from '../support/black-box-service.js';
import { canaryHits, scanFolder } from '../support/canary-scan.js';
import { webhookFixture } from '../support/jira-fixtures.js';
import { rejectionOf } from '../support/rejection.js';

const canary = 'CANARY-7f3a9';
/** Slugs are lower case, so the slug carries the canary that way. */
const canaries = [canary, canary.toLowerCase()];
const adminPassword = `${canary} admin password`;

const newMasterKey = () => randomBytes(32).toString('base64');

/**
 * A data folder, a master key, and the service and CLI over them. With a
 * MongoDB URL the read models and keys go to fresh databases there.
 */
function deployment(mongoUrl?: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-crypto-'));
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    HAKKIRI_DATA_DIR: dataDir,
    HAKKIRI_PORT: '0',
    HAKKIRI_LOG_LEVEL: 'info',
    HAKKIRI_MASTER_KEY: newMasterKey(),
    HAKKIRI_MASTER_KEY_PREVIOUS: '',
    HAKKIRI_ADMIN_PASSWORD: adminPassword,
    HAKKIRI_ALLOW_PRIVATE_TARGETS: 'true',
    HAKKIRI_SYNC_INTERVAL: 'off',
    EVENTSTORE_URL: '',
    MONGODB_URL: mongoUrl ?? '',
  };

  return {
    dataDir,
    env,
    service: new BlackBoxService(() => env),
    dispose: () => fs.rmSync(dataDir, { recursive: true, force: true }),
  };
}

type Deployment = ReturnType<typeof deployment>;

/**
 * Everything a customer can put in by now, each carrying the canary.
 * Answers what else must not be found: the webhook secrets the service
 * made, which carry no canary.
 */
async function fillWithCanaries(
  { service }: Deployment,
  jira: JiraDouble,
): Promise<string[]> {
  const slug = canary.toLowerCase();
  const admin = `${canary}.admin`;
  await service.cli([
    'tenant',
    'create',
    '--slug',
    slug,
    '--name',
    `${canary} Corporation`,
    '--admin',
    admin,
  ]);
  const token = await service.login(slug, admin, adminPassword);

  const created = await service.call('POST', '/v1/users', {
    token,
    body: {
      username: `${canary}.analyst`,
      password: `${canary} analyst password`,
      role: 'analyst',
    },
  });
  expect(created.status).to.equal(201);
  const userId = created.body.id as string;

  const failed = [
    { username: `${canary}.analyst`, password: `${canary} wrong password` },
    { username: `${canary}.nobody`, password: `${canary} any password` },
  ];
  for (const credentials of failed) {
    const refused = await service.call('POST', '/v1/sessions', {
      body: { tenant: slug, ...credentials },
    });
    expect(refused.status).to.equal(401);
  }

  const patched = await service.call('PATCH', `/v1/users/${userId}`, {
    token,
    body: { role: 'admin' },
  });
  expect(patched.status).to.equal(200);

  // The server shows the canaries back (usernames in lower case): they
  // were stored, not dropped.
  const users = await service.call('GET', '/v1/users', { token });
  expect(JSON.stringify(users.body)).to.include(
    `${canary}.analyst`.toLowerCase(),
  );

  return connectWithCanaries(service, token, jira);
}

/** A Jira connection, its secret rotated, and a delivery recorded. */
async function connectWithCanaries(
  service: BlackBoxService,
  token: string,
  jira: JiraDouble,
): Promise<string[]> {
  const created = await service.call('POST', '/v1/connections', {
    token,
    body: {
      kind: jira.kind,
      name: `${canary} Jira`,
      baseUrl: jira.baseUrl,
      credentials: jira.credentials,
      caCertificate: jira.caCertificate,
    },
  });
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  const id = created.body.id as string;
  const first = (created.body.webhook as { secret: string }).secret;

  const rotated = await service.call(
    'POST',
    `/v1/connections/${id}/webhook-secret`,
    { token },
  );
  expect(rotated.status).to.equal(200);
  const secret = rotated.body.secret as string;

  const body = webhookFixture('webhook-issue-created.json').body;
  body.issue.fields['summary'] = `${canary} summary`;
  const raw = JSON.stringify(body);
  const delivered = await fetch(`${service.baseUrl}/v1/webhooks/jira/${id}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature': signatureOf(raw, secret),
      'x-atlassian-webhook-identifier': randomUUID(),
    },
    body: raw,
  });
  expect(await delivered.json()).to.deep.equal({ outcome: 'recorded' });

  return [first, secret];
}

function expectNoHits(hits: unknown[], files: string[]): void {
  expect(files, 'files scanned').to.have.length.greaterThan(0);
  expect(hits).to.deep.equal([]);
}

describe('black box: encryption at rest', function () {
  this.timeout(120_000);

  describe('canary', function () {
    let jira: JiraDouble;

    before(async function () {
      jira = await JiraDouble.start({
        kind: 'jira-cloud',
        credentials: {
          email: 'sync@acme.example',
          apiToken: `${canary} api token`,
        },
      });
    });

    after(async function () {
      await jira?.close();
    });

    it('finds a planted canary in every form it searches', function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-scan-'));
      const padded = Buffer.concat([Buffer.from('xy'), Buffer.from(canary)]);
      fs.writeFileSync(path.join(dir, 'a'), Buffer.from(canary, 'utf16le'));
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.writeFileSync(path.join(dir, 'sub', 'b'), padded.toString('base64'));

      const { hits } = scanFolder(dir, [canary]);
      fs.rmSync(dir, { recursive: true, force: true });

      expect(hits.map((hit) => hit.form)).to.have.members([
        'utf-16le',
        'base64+2',
      ]);
    });

    it('leaves no canary in any file of the data folder', async function () {
      const d = deployment();
      try {
        await d.service.start();
        const needles = [...canaries, ...(await fillWithCanaries(d, jira))];
        // While it runs, the SQLite write-ahead logs hold the newest pages.
        const running = scanFolder(d.dataDir, needles);
        expect(running.files.some((file) => file.endsWith('-wal'))).to.equal(
          true,
        );
        expectNoHits(running.hits, running.files);
        await d.service.stop();

        const { files, hits } = scanFolder(d.dataDir, needles);
        expectNoHits(hits, files);
      } finally {
        await d.service.stop();
        d.dispose();
      }
    });

    it('leaves no canary in MongoDB either', async function () {
      const url = process.env.MONGODB_URL;
      if (!url) {
        // As every MongoDB suite: not run is a failure, never green.
        expect.fail(
          'MONGODB_URL is not set: start FerretDB with .ci/start-ferretdb.sh',
        );
      }

      const database = `canary_${randomBytes(6).toString('hex')}`;
      const d = deployment(withDatabase(url, database));
      const client = new MongoClient(url);
      try {
        await d.service.start();
        const needles = [...canaries, ...(await fillWithCanaries(d, jira))];
        await d.service.stop();

        const dump = await dumpDatabases(client, [
          database,
          `${database}_keys`,
        ]);
        expect(Object.keys(dump)).to.include.members([
          `${database}.users`,
          `${database}.tenants`,
          `${database}_keys.tenant_keys`,
        ]);
        const text = Buffer.from(BSON.EJSON.stringify(dump));
        expect(canaryHits('mongodb', text, needles)).to.deep.equal([]);
        const { files, hits } = scanFolder(d.dataDir, needles);
        expectNoHits(hits, files);
      } finally {
        await d.service.stop();
        await client.db(database).dropDatabase();
        await client.db(`${database}_keys`).dropDatabase();
        await client.close();
        d.dispose();
      }
    });
  });

  describe('tenant delete', function () {
    let d: Deployment;

    beforeEach(async function () {
      d = deployment();
      await d.service.start();
      for (const [slug, admin] of [
        ['acme', 'alice'],
        ['globex', 'gina'],
      ]) {
        await d.service.cli([
          'tenant',
          'create',
          '--slug',
          slug!,
          '--name',
          slug!,
          '--admin',
          admin!,
        ]);
      }
    });

    afterEach(async function () {
      await d.service.stop();
      d.dispose();
    });

    it('needs --confirm', async function () {
      const refused = await rejectionOf(
        d.service.cli(['tenant', 'delete', '--slug', 'acme']),
      );

      expect(refused).to.include({ code: 2 });
      await d.service.login('acme', 'alice', adminPassword);
    });

    it('shreds one tenant: 404 for its sessions, nothing readable, others unaffected', async function () {
      const alice = await d.service.login('acme', 'alice', adminPassword);
      const gina = await d.service.login('globex', 'gina', adminPassword);

      const { stdout } = await d.service.cli([
        'tenant',
        'delete',
        '--slug',
        'acme',
        '--confirm',
      ]);
      expect(stdout).to.match(/Deleted tenant acme .*: 2 keys destroyed/);

      expect(await statusOnceSettled(d, alice)).to.equal(404);
      const login = await d.service.call('POST', '/v1/sessions', {
        body: { tenant: 'acme', username: 'alice', password: adminPassword },
      });
      expect(login.status).to.equal(401);
      const me = await d.service.call('GET', '/v1/me', { token: gina });
      expect(me.body).to.include({ tenant: 'globex', username: 'gina' });

      await d.service.stop();
      await expectUnreadable(d, 'acme');
    });
  });

  it('reads data written before a data-key and a master-key rotation', async function () {
    const d = deployment();
    try {
      await d.service.cli([
        'tenant',
        'create',
        '--slug',
        'acme',
        '--name',
        'Acme',
        '--admin',
        'alice',
      ]);
      const rotated = await d.service.cli(['keys', 'rotate', '--slug', 'acme']);
      expect(rotated.stdout).to.match(/data key version 2/);

      await d.service.start();
      const alice = await d.service.login('acme', 'alice', adminPassword);
      const bob = { username: 'bob', password: 'bob the analyst here' };
      await d.service.call('POST', '/v1/users', {
        token: alice,
        body: { ...bob, role: 'analyst' },
      });
      await d.service.stop();

      const oldKey = d.env.HAKKIRI_MASTER_KEY!;
      d.env.HAKKIRI_MASTER_KEY = newMasterKey();
      d.env.HAKKIRI_MASTER_KEY_PREVIOUS = oldKey;
      const rewrapped = await d.service.cli(['keys', 'rotate-master']);
      // Two keys of the service, three of acme.
      expect(rewrapped.stdout).to.match(/Re-wrapped 5 keys/);

      // The old master key is gone for good; nothing needs it any more.
      d.env.HAKKIRI_MASTER_KEY_PREVIOUS = '';
      await d.service.start();
      await d.service.login('acme', 'alice', adminPassword);
      const token = await d.service.login('acme', bob.username, bob.password);
      const me = await d.service.call('GET', '/v1/me', { token });
      expect(me.body).to.include({ tenant: 'acme', username: 'bob' });
    } finally {
      await d.service.stop();
      d.dispose();
    }
  });
});

/** The server sees the deletion once its projection has applied it. */
async function statusOnceSettled(d: Deployment, token: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { status } = await d.service.call('GET', '/v1/me', { token });
    if (status !== 200 || Date.now() > deadline) return status;

    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Opens the data folder as the service would: the tenant's stream and
 * its read model refuse with a typed error, and the log holds nothing of
 * it but the deletion.
 */
async function expectUnreadable(d: Deployment, slug: string): Promise<void> {
  const config = loadConfig(d.env);
  const stores = await openStores(config, silentLogger());
  const raw = new SqliteEventStore({
    file: path.join(d.dataDir, 'events.sqlite'),
    logger: silentLogger(),
  });
  try {
    const stream = tenantStreamName(
      await slugIndex(stores.encryption.blindIndex, slug),
    );
    const deletion = (await raw.readStream(stream)).events.at(-1)!;
    expect(deletion.type).to.equal('TenantDeleted');
    const tenantId = deletion.data.tenantId as string;

    const readStream = await rejectionOf(stores.eventStore.readStream(stream));
    expect(readStream).to.be.instanceOf(TenantKeysDeletedError);
    const document = await rejectionOf(
      stores.readStore.collection(tenantsCollection).get(tenantId),
    );
    expect(document).to.be.instanceOf(TenantKeysDeletedError);

    const left: string[] = [];
    for await (const event of stores.eventStore.readAll()) {
      if (event.metadata.tenantId === tenantId) left.push(event.type);
    }
    expect(left).to.deep.equal(['TenantDeleted']);
  } finally {
    await raw.close();
    await stores.close();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;

  return parsed.toString();
}

/** Every document of every collection, by `database.collection`. */
async function dumpDatabases(
  client: MongoClient,
  databases: string[],
): Promise<Record<string, unknown>> {
  const dump: Record<string, unknown> = {};
  for (const name of databases) {
    const db = client.db(name);
    for (const { name: collection } of await db.listCollections().toArray()) {
      dump[`${name}.${collection}`] = await db
        .collection(collection)
        .find()
        .toArray();
    }
  }

  return dump;
}

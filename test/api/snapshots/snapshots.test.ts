import { randomUUID } from 'node:crypto';

import { expect } from 'chai';

import { RestoreGate } from '../../../src/commands/snapshots/restore-gate.js';
import { signatureOf } from '../../../src/commands/webhooks/webhook-signature.js';
import { serviceProjections } from '../../../src/service-stores.js';
import { JiraDouble } from '../../doubles/jira/jira-double.js';
import { webhookFixture } from '../../support/jira-fixtures.js';
import {
  cleanRebuild,
  snapshotModels,
  tenantModels,
} from '../../support/read-model-rebuild.js';
import { serviceApi } from '../../support/service-api.js';
import type { ServiceApi } from '../../support/service-api.js';
import { pause } from '../../support/waiting.js';

interface SnapshotView {
  id: string;
  state: string;
  takenAt: string;
  expiresAt: string;
  position: string;
  sizeBytes: number;
}

describe('snapshots API', function () {
  this.timeout(60_000);
  let api: ServiceApi;
  let jira: JiraDouble;
  let alice: string;
  let hook: { id: string; secret: string };
  let delivered = 0;

  before(async function () {
    api = await serviceApi();
    jira = await JiraDouble.start({ kind: 'jira-cloud' });
    alice = await api.login('acme', 'alice');
    hook = await api.connect(alice, jira);
  });

  after(async function () {
    await jira?.close();
    await api?.dispose();
  });

  const models = () => ({
    projections: serviceProjections().tenant,
    encryption: api.service.encryption,
  });

  /** A distinct issue moving to In Progress, posted as Jira would. */
  async function deliver(): Promise<void> {
    const body = structuredClone(
      webhookFixture('webhook-issue-updated-started-working.json').body,
    ) as unknown as {
      issue: { id: string; key: string };
      changelog: { id: string };
    };
    delivered += 1;
    body.issue.id = String(50_000 + delivered);
    body.issue.key = `SNAP-${delivered}`;
    body.changelog.id = String(70_000 + delivered);
    const raw = JSON.stringify(body);

    const answer = await api.call('POST', `/v1/webhooks/jira/${hook.id}`, {
      body: raw,
      headers: {
        'x-hub-signature': signatureOf(raw, hook.secret),
        'x-atlassian-webhook-identifier': randomUUID(),
      },
    });
    expect(answer.status).to.equal(202);
  }

  async function takeSnapshot(): Promise<SnapshotView> {
    const taken = await api.call('POST', '/v1/snapshots', { token: alice });
    expect(taken.status, JSON.stringify(taken.body)).to.equal(202);

    return readySnapshot(taken.body.id as string);
  }

  async function readySnapshot(id: string): Promise<SnapshotView> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const list = await api.call('GET', '/v1/snapshots', { token: alice });
      const items = list.body.items as SnapshotView[];
      const found = items.find((item) => item.id === id);
      if (found?.state === 'ready') return found;
      if (found?.state === 'failed' || Date.now() > deadline) {
        throw new Error(`snapshot ${id}: ${JSON.stringify(found)}`);
      }
      await pause(50);
    }
  }

  it('takes a snapshot that expires 90 days after it was taken', async function () {
    await deliver();

    const snapshot = await takeSnapshot();

    expect(snapshot.position).to.match(/^\d+$/);
    expect(snapshot.sizeBytes).to.be.above(0);
    expect(
      Date.parse(snapshot.expiresAt) - Date.parse(snapshot.takenAt),
    ).to.equal(90 * 24 * 60 * 60 * 1000);
  });

  it('holds every effect up to its position and none after, under load', async function () {
    let posting = true;
    const load = (async () => {
      while (posting) await deliver();
    })();
    await pause(200);

    const snapshot = await takeSnapshot();
    await pause(200);
    posting = false;
    await load;

    const { tenantId } = api.acme;
    const held = await snapshotModels(
      api.service,
      snapshot.id,
      tenantId,
      models(),
    );
    const rebuilt = await cleanRebuild(
      api.service.eventStore,
      tenantId,
      models(),
      BigInt(snapshot.position),
    );
    expect(Object.keys(held).length).to.be.above(3);
    expect(held).to.deep.equal(rebuilt);
    expect(delivered).to.be.above(
      Object.keys(held).filter((key) => key.startsWith('work_items/')).length,
    );
  });

  it('restores lost read models to what a clean rebuild gives', async function () {
    await deliver();
    const snapshot = await takeSnapshot();
    for (let n = 0; n < 5; n += 1) await deliver();
    await api.settled();
    const { tenantId } = api.acme;
    // What the admin needs to sign in stays; the rest is lost.
    for (const collection of ['work_items', 'connections']) {
      await api.service.storedReadModels
        .collection(collection)
        .deleteMany({ tenantId });
    }
    expect(
      Object.keys(
        await tenantModels(api.service.readStore, tenantId, models()),
      ),
    ).to.not.include(`connections/${hook.id}`);

    const answer = await api.call(
      'POST',
      `/v1/snapshots/${snapshot.id}/restore`,
      { token: alice },
    );
    expect(answer.status).to.equal(202);
    await waitForRestore(snapshot.id);

    const restored = await tenantModels(
      api.service.readStore,
      tenantId,
      models(),
    );
    const rebuilt = await cleanRebuild(
      api.service.eventStore,
      tenantId,
      models(),
    );
    expect(restored).to.deep.equal(rebuilt);
  });

  async function waitForRestore(id: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const doc = await api.service.readStore.collection('snapshots').get(id);
      if (doc?.['lastRestoredAt']) return;
      if (Date.now() > deadline) throw new Error('restore did not finish');
      await pause(50);
    }
  }

  it("answers 503 to the restoring tenant's queries, and to no one else's", async function () {
    const gate = new RestoreGate(api.service.commandState);
    const ann = await api.login('acme', 'ann');
    const gina = await api.login('globex', 'gina');

    await gate.close(api.acme.tenantId, 'some-snapshot');
    try {
      const waiting = await api.call('GET', '/v1/work-items', { token: ann });
      expect(waiting.status).to.equal(503);
      expect(waiting.headers.get('retry-after')).to.match(/^\d+$/);
      const other = await api.call('GET', '/v1/work-items', { token: gina });
      expect(other.status).to.equal(200);
    } finally {
      await gate.open(api.acme.tenantId);
    }

    const back = await api.call('GET', '/v1/work-items', { token: ann });
    expect(back.status).to.equal(200);
  });

  it("deletes a snapshot early, and keeps another tenant's out", async function () {
    const snapshot = await takeSnapshot();
    const gina = await api.login('globex', 'gina');

    for (const [method, path] of [
      ['DELETE', `/v1/snapshots/${snapshot.id}`],
      ['POST', `/v1/snapshots/${snapshot.id}/restore`],
    ] as const) {
      expect((await api.call(method, path, { token: gina })).status).to.equal(
        404,
      );
    }
    const theirs = await api.call('GET', '/v1/snapshots', { token: gina });
    expect(theirs.body.items).to.deep.equal([]);

    const deleted = await api.call('DELETE', `/v1/snapshots/${snapshot.id}`, {
      token: alice,
    });
    expect(deleted.status).to.equal(204);
    const chunks = await api.service.snapshotVault
      .collection('snapshot_chunks')
      .find({ snapshotId: snapshot.id });
    expect(chunks.items).to.deep.equal([]);
    const list = await api.call('GET', '/v1/snapshots', { token: alice });
    expect((list.body.items as SnapshotView[]).map((s) => s.id)).to.not.include(
      snapshot.id,
    );
  });

  it('has no route that gives a snapshot back, in the API or its document', async function () {
    const ann = await api.login('acme', 'ann');
    const document = await api.call('GET', '/v1/openapi.json');
    const paths = document.body.paths as Record<
      string,
      Record<string, unknown>
    >;
    const snapshotRoutes = Object.entries(paths)
      .filter(([path]) => path.startsWith('/v1/snapshots'))
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method} ${path}`),
      )
      .sort();

    expect(snapshotRoutes).to.deep.equal([
      'delete /v1/snapshots/{id}',
      'get /v1/snapshots',
      'post /v1/snapshots',
      'post /v1/snapshots/{id}/restore',
    ]);
    const id = randomUUID();
    expect(
      (await api.call('GET', `/v1/snapshots/${id}`, { token: alice })).status,
    ).to.equal(405);
    expect(
      (await api.call('GET', '/v1/snapshots', { token: ann })).status,
    ).to.equal(403);
  });
});

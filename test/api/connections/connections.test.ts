import { expect } from 'chai';

import { JiraDouble } from '../../doubles/jira/jira-double.js';
import { addIssues } from '../../commands/jira/jira-fixture.js';
import { serviceApi } from '../../support/service-api.js';
import type { Answer, ServiceApi } from '../../support/service-api.js';
import { waitFor } from '../../support/waiting.js';

describe('connections API', function () {
  this.timeout(30_000);
  let api: ServiceApi;
  let cloud: JiraDouble;
  let alice: string;

  before(async function () {
    api = await serviceApi();
    cloud = await JiraDouble.start({ kind: 'jira-cloud' });
    alice = await api.login('acme', 'alice');
  });

  after(async function () {
    await cloud?.close();
    await api?.dispose();
  });

  function newConnection(overrides: Record<string, unknown> = {}) {
    return {
      kind: 'jira-cloud',
      name: 'Acme Cloud',
      baseUrl: cloud.baseUrl,
      credentials: cloud.credentials,
      caCertificate: cloud.caCertificate,
      projects: ['acme'],
      ...overrides,
    };
  }

  async function create(overrides: Record<string, unknown> = {}) {
    return api.call('POST', '/v1/connections', {
      token: alice,
      body: newConnection(overrides),
    });
  }

  function expectProblem(answer: Answer, status: number, reason?: string) {
    expect(answer.status, JSON.stringify(answer.body)).to.equal(status);
    expect(answer.headers.get('content-type')).to.match(
      /^application\/problem\+json/,
    );
    if (reason !== undefined) expect(answer.body.reason).to.equal(reason);
  }

  it('tests and creates a connection, showing the webhook secret once', async function () {
    const created = await create();

    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const id = created.body.id as string;
    expect(created.body).to.deep.include({
      kind: 'jira-cloud',
      name: 'Acme Cloud',
      baseUrl: cloud.baseUrl,
      projects: ['ACME'],
      status: 'active',
      account: { displayName: 'Sync Robot' },
    });
    const webhook = created.body.webhook as { url: string; secret: string };
    expect(webhook.url).to.equal(
      `http://127.0.0.1:3000/v1/webhooks/jira/${id}`,
    );
    expect(webhook.secret).to.have.length.greaterThan(40);

    const shown = await api.call('GET', `/v1/connections/${id}`, {
      token: alice,
    });
    expect(shown.status).to.equal(200);
    expect(shown.body.webhook).to.deep.equal({ url: webhook.url });
    expect(shown.body.credentials).to.have.property('set', true);
    expect(shown.body.caCertificate).to.have.property('set', true);
    expect(JSON.stringify(shown.body)).to.not.include('cloud-api-token');
    expect(JSON.stringify(shown.body)).to.not.include(webhook.secret);
    expect(cloud.requestsTo(/\/rest\/api\/3\/myself$/)).to.have.length.above(0);
  });

  it('stores nothing and names the reason when the test fails', async function () {
    const before = await api.call('GET', '/v1/connections', { token: alice });

    expectProblem(
      await create({
        credentials: { email: 'x@acme.example', apiToken: 'no' },
      }),
      422,
      'unauthorized',
    );
    expectProblem(await create({ caCertificate: undefined }), 422, 'tls');

    const after = await api.call('GET', '/v1/connections', { token: alice });
    expect(after.body.items).to.have.length(
      (before.body.items as unknown[]).length,
    );
  });

  it('refuses URLs that are not https, and credentials of the other kind', async function () {
    expectProblem(await create({ baseUrl: 'http://jira.acme.example' }), 400);
    expectProblem(
      await create({ baseUrl: 'https://user:pw@jira.acme.example' }),
      400,
    );
    expectProblem(
      await create({ credentials: { personalAccessToken: 'pat' } }),
      400,
    );
    expectProblem(await create({ extra: true }), 400);
  });

  it('renames, replaces credentials after testing them, and disables', async function () {
    const id = (await create()).body.id as string;
    const path = `/v1/connections/${id}`;

    const renamed = await api.call('PATCH', path, {
      token: alice,
      body: { name: 'Acme Jira Cloud' },
    });
    expect(renamed.status).to.equal(200);
    expect(renamed.body.name).to.equal('Acme Jira Cloud');

    expectProblem(
      await api.call('PATCH', path, {
        token: alice,
        body: { credentials: { email: 'x@acme.example', apiToken: 'no' } },
      }),
      422,
      'unauthorized',
    );

    expect((await api.call('DELETE', path, { token: alice })).status).to.equal(
      204,
    );
    const disabled = await api.call('GET', path, { token: alice });
    expect(disabled.body.status).to.equal('disabled');
    expectProblem(
      await api.call('POST', `${path}/sync`, { token: alice }),
      409,
    );
  });

  it('is for admins of the tenant only', async function () {
    const id = (await create()).body.id as string;
    const ann = await api.login('acme', 'ann');
    const gina = await api.login('globex', 'gina');

    expectProblem(
      await api.call('GET', '/v1/connections', { token: ann }),
      403,
    );
    expectProblem(
      await api.call('GET', `/v1/connections/${id}`, { token: gina }),
      404,
    );
    expectProblem(
      await api.call('PATCH', `/v1/connections/${id}`, {
        token: gina,
        body: { name: 'Mine now' },
      }),
      404,
    );
    expectProblem(
      await api.call('POST', `/v1/connections/${id}/sync`, { token: gina }),
      404,
    );
    const list = await api.call('GET', '/v1/connections', { token: gina });
    expect(list.body.items).to.deep.equal([]);
  });

  it('syncs on demand, shows its progress, and serves the items it brought', async function () {
    addIssues(cloud, 30, 2);
    const id = (await create()).body.id as string;

    const started = await api.call('POST', `/v1/connections/${id}/sync`, {
      token: alice,
    });
    expect(started.status, JSON.stringify(started.body)).to.equal(202);
    let sync: Record<string, unknown> = {};
    await waitForAsync(async () => {
      const shown = await api.call('GET', `/v1/connections/${id}`, {
        token: alice,
      });
      sync = shown.body.sync as Record<string, unknown>;
      return sync.state === 'succeeded' || sync.state === 'failed';
    });
    expect(sync).to.deep.include({ state: 'succeeded', itemsSeen: 30 });
    expect(sync.checkpoint).to.be.a('string');

    const ann = await api.login('acme', 'ann');
    const items = await waitForItems(ann, `connection=${id}&limit=100`, 30);
    expect(items[0]).to.include.keys('key', 'summary', 'status', 'history');
    expect(items[0]!.history).to.have.length(2);

    const gina = await api.login('globex', 'gina');
    const theirs = await api.call('GET', '/v1/work-items', { token: gina });
    expect(theirs.body.items).to.deep.equal([]);
  });

  async function waitForItems(
    token: string,
    query: string,
    count: number,
  ): Promise<Record<string, unknown>[]> {
    let items: Record<string, unknown>[] = [];
    await waitForAsync(async () => {
      const answer = await api.call('GET', `/v1/work-items?${query}`, {
        token,
      });
      items = answer.body.items as Record<string, unknown>[];
      return items.length === count;
    });

    return items;
  }
});

async function waitForAsync(
  condition: () => Promise<boolean>,
  ms = 15_000,
): Promise<void> {
  let held = false;
  const check = () => {
    void condition().then((result) => (held = result));
    return held;
  };
  await waitFor(check, ms);
}

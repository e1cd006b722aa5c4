import { expect } from 'chai';

import { JiraDouble } from '../../doubles/jira/jira-double.js';
import { serviceApi } from '../../support/service-api.js';
import type { ServiceApi } from '../../support/service-api.js';

/**
 * The service as customers get it, with HAKKIRI_ALLOW_PRIVATE_TARGETS
 * off: no connection may point Hakkiri at its own network.
 */
describe('connections API: targets that are not public', function () {
  this.timeout(30_000);
  let api: ServiceApi;
  let jira: JiraDouble;
  let alice: string;

  before(async function () {
    api = await serviceApi({ HAKKIRI_ALLOW_PRIVATE_TARGETS: 'false' });
    jira = await JiraDouble.start({ kind: 'jira-cloud' });
    alice = await api.login('acme', 'alice');
  });

  after(async function () {
    await jira?.close();
    await api?.dispose();
  });

  async function create(baseUrl: string) {
    return api.call('POST', '/v1/connections', {
      token: alice,
      body: {
        kind: 'jira-cloud',
        name: 'Probe',
        baseUrl,
        credentials: jira.credentials,
        caCertificate: jira.caCertificate,
      },
    });
  }

  for (const baseUrl of [
    'http://jira.acme.example',
    'https://127.0.0.1',
    'https://169.254.169.254',
    'https://[::ffff:127.0.0.1]',
    'https://2130706433',
    'https://10.0.0.1',
  ]) {
    it(`refuses ${baseUrl} with 400`, async function () {
      const answer = await create(baseUrl);

      expect(answer.status, JSON.stringify(answer.body)).to.equal(400);
      expect(answer.body.detail).to.be.a('string').and.not.equal('');
    });
  }

  it('refuses a host name that resolves to loopback, even to a live Jira', async function () {
    const port = new URL(jira.baseUrl).port;
    const answer = await create(`https://localhost:${port}`);

    expect(answer.status, JSON.stringify(answer.body)).to.equal(400);
    expect(answer.body.reason).to.equal('target_refused');
    expect(jira.requests).to.have.length(0);
  });

  it('keeps none of the refused connections', async function () {
    const listed = await api.call('GET', '/v1/connections', { token: alice });

    expect(listed.status).to.equal(200);
    expect(listed.body.items).to.deep.equal([]);
  });
});

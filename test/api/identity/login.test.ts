import { expect } from 'chai';

import { identityApi } from '../../support/identity-api.js';
import type { IdentityApi } from '../../support/identity-api.js';

describe('login over HTTP', function () {
  this.timeout(30_000);

  let api: IdentityApi;

  const attempt = (tenant: string, username: string, password: string) =>
    api.call('POST', '/v1/sessions', {
      body: { tenant, username, password },
    });

  /** A refusal with its one varying member taken out. */
  const shape = (answer: { status: number; body: object }) => {
    const { requestId: _id, ...rest } = answer.body as { requestId: string };
    return { status: answer.status, body: rest };
  };

  beforeEach(async function () {
    api = await identityApi();
  });

  afterEach(async function () {
    await api.dispose();
  });

  it('refuses a wrong password, an unknown user and an unknown tenant in one shape', async function () {
    const wrong = await attempt('acme', 'alice', 'not the password');
    const unknownUser = await attempt('acme', 'mallory', 'not the password');
    const unknownTenant = await attempt('nowhere', 'alice', 'not the password');

    expect(wrong.status).to.equal(401);
    expect(shape(unknownUser)).to.deep.equal(shape(wrong));
    expect(shape(unknownTenant)).to.deep.equal(shape(wrong));
  });

  it('locks an account after five failures, then lets it in after 15 minutes', async function () {
    for (let i = 0; i < 5; i++) {
      expect(
        (await attempt('acme', 'alice', 'not the password')).status,
      ).to.equal(401);
    }

    const locked = await attempt('acme', 'alice', 'correct horse battery');
    expect(locked.status).to.equal(429);
    expect(Number(locked.headers.get('retry-after'))).to.be.within(890, 900);
    expect(
      (await attempt('globex', 'gina', 'correct horse battery')).status,
    ).to.equal(201);

    api.f.clock.advance(15 * 60_000 + 1000);
    expect(
      (await attempt('acme', 'alice', 'correct horse battery')).status,
    ).to.equal(201);
  });

  it('turns away an address that fails too often, whatever account it tries', async function () {
    for (let i = 0; i < 30; i++) {
      const answer = await attempt('acme', `guess-${i}`, 'not the password');
      expect(answer.status).to.equal(401);
    }

    const refused = await attempt('acme', 'alice', 'correct horse battery');
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers.get('retry-after'))).to.be.greaterThan(0);
  });

  it('answers 400 naming the missing field, 415 for text and 413 for a huge body', async function () {
    const missing = await api.call('POST', '/v1/sessions', {
      body: { tenant: 'acme', username: 'alice' },
    });
    expect(missing.status).to.equal(400);
    expect(missing.body.errors).to.deep.include({
      path: 'body.password',
      message: (missing.body.errors as { message: string }[])[0]!.message,
    });

    const text = await api.call('POST', '/v1/sessions', {
      body: 'tenant=acme',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).to.equal(415);

    const malformed = await api.call('POST', '/v1/sessions', {
      body: '{"tenant":',
    });
    expect(malformed.status).to.equal(400);

    const huge = await attempt('acme', 'alice', 'x'.repeat(200_000));
    expect(huge.status).to.equal(413);
  });

  it('shows the egress addresses and the webhook base URL to any role', async function () {
    const token = await api.login('acme', 'alice');

    const answer = await api.call('GET', '/v1/account/network', { token });

    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.equal({
      egressAddresses: ['203.0.113.7'],
      webhookBaseUrl: 'https://hakkiri.example/v1/webhooks/jira/',
    });
  });
});

import { expect } from 'chai';

import { identityApi } from '../../support/identity-api.js';
import type { IdentityApi } from '../../support/identity-api.js';

const analystPassword = 'bob likes long passwords';

describe('user administration over HTTP', function () {
  this.timeout(30_000);

  let api: IdentityApi;
  let alice: string;
  let gina: string;

  const createBob = () =>
    api.call('POST', '/v1/users', {
      token: alice,
      body: { username: 'bob', password: analystPassword, role: 'analyst' },
    });

  before(async function () {
    api = await identityApi();
    alice = await api.login('acme', 'alice');
    gina = await api.login('globex', 'gina');
  });

  after(async function () {
    await api.dispose();
  });

  it('creates a user who can log in at once, and lists them', async function () {
    const created = await createBob();
    expect(created.status).to.equal(201);
    expect(created.body).to.include({
      username: 'bob',
      role: 'analyst',
      status: 'active',
    });
    expect(created.body).not.to.have.property('passwordHash');

    await api.login('acme', 'bob', analystPassword);
    const list = await api.call('GET', '/v1/users', { token: alice });
    const names = (list.body.items as { username: string }[]).map(
      (u) => u.username,
    );
    expect(names).to.deep.equal(['alice', 'bob']);
  });

  it('refuses a taken username with 409 and a weak password with 400', async function () {
    expect((await createBob()).status).to.equal(409);

    const weak = await api.call('POST', '/v1/users', {
      token: alice,
      body: { username: 'carol', password: 'carol', role: 'analyst' },
    });
    expect(weak.status).to.equal(400);
  });

  it('forbids admin calls to an analyst with 403', async function () {
    const bob = await api.login('acme', 'bob', analystPassword);

    expect(
      (await api.call('GET', '/v1/users', { token: bob })).status,
    ).to.equal(403);
    const create = await api.call('POST', '/v1/users', {
      token: bob,
      body: { username: 'eve', password: analystPassword, role: 'admin' },
    });
    expect(create.status).to.equal(403);
    expect((await api.call('GET', '/v1/me', { token: bob })).status).to.equal(
      200,
    );
  });

  it("answers another tenant's user exactly as a missing one", async function () {
    const list = await api.call('GET', '/v1/users', { token: alice });
    const bobId = (list.body.items as { id: string; username: string }[]).find(
      (u) => u.username === 'bob',
    )!.id;
    const missingId = '00000000-0000-4000-8000-000000000000';

    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { role: 'admin' }],
      ['DELETE', undefined],
    ] as const) {
      const foreign = await api.call(method, `/v1/users/${bobId}`, {
        token: gina,
        body,
      });
      const missing = await api.call(method, `/v1/users/${missingId}`, {
        token: gina,
        body,
      });

      expect(foreign.status, method).to.equal(404);
      expect({ ...foreign.body, requestId: '' }).to.deep.equal({
        ...missing.body,
        requestId: '',
      });
    }

    const stillThere = await api.call('GET', `/v1/users/${bobId}`, {
      token: alice,
    });
    expect(stillThere.body).to.include({ role: 'analyst', status: 'active' });
  });

  it('changes a role, and the change holds for tokens already given', async function () {
    const bob = await api.login('acme', 'bob', analystPassword);
    const list = await api.call('GET', '/v1/users', { token: alice });
    const bobId = (list.body.items as { id: string; username: string }[]).find(
      (u) => u.username === 'bob',
    )!.id;

    const changed = await api.call('PATCH', `/v1/users/${bobId}`, {
      token: alice,
      body: { role: 'admin' },
    });

    expect(changed.status).to.equal(200);
    expect(changed.body).to.include({ role: 'admin' });
    expect(
      (await api.call('GET', '/v1/users', { token: bob })).status,
    ).to.equal(200);
  });

  it('keeps an admin from changing or disabling themselves', async function () {
    const me = await api.call('GET', '/v1/me', { token: alice });
    const path = `/v1/users/${me.body.userId}`;

    expect((await api.call('DELETE', path, { token: alice })).status).to.equal(
      409,
    );
    const demote = await api.call('PATCH', path, {
      token: alice,
      body: { role: 'analyst' },
    });
    expect(demote.status).to.equal(409);
  });
});

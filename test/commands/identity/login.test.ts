import { expect } from 'chai';

import { loginStreamName } from '../../../src/commands/identity/accounts.js';
import { accountKey } from '../../../src/commands/identity/accounts.js';
import { DomainError } from '../../../src/domain/domain-error.js';
import { identityFixture } from '../../support/identity-fixture.js';
import type { IdentityFixture } from '../../support/identity-fixture.js';
import { rejectionOf } from '../../support/rejection.js';

const password = 'correct horse battery';

describe('identity use cases', function () {
  this.timeout(20_000);

  let f: IdentityFixture;
  let tenantId: string;
  let aliceId: string;

  const request = (tenant: string) => ({ tenantId: tenant, requestId: 'r-1' });
  const login = (username: string, pass: string, tenant = 'acme') =>
    f.login.attempt({ tenant, username, password: pass, requestId: 'r-2' });

  async function failuresOf(username: string) {
    const key = await accountKey(f.encryption.blindIndex, tenantId, username);
    const stream = loginStreamName(tenantId, key);
    const read = await f.store.readStream(stream);

    return read.events.map((e) => [e.type, e.data.cause]);
  }

  beforeEach(async function () {
    f = await identityFixture();
    const tenant = await f.tenants.create(
      { slug: 'acme', displayName: 'Acme', egressAddresses: [] },
      'r-0',
    );
    tenantId = tenant.tenantId;
    const alice = await f.users.create(request(tenantId), {
      username: 'Alice',
      password,
      role: 'admin',
    });
    aliceId = alice.userId;
    await f.applied(alice.position);
  });

  afterEach(async function () {
    await f.dispose();
  });

  it('starts a session for the right password, in any case of the username', async function () {
    const outcome = await login('ALICE', password);

    expect(outcome.kind).to.equal('started');
    if (outcome.kind !== 'started') return;
    expect(outcome.session).to.include({
      tenantId,
      userId: aliceId,
      username: 'alice',
      role: 'admin',
    });
    await f.applied(outcome.position);
    const session = await f.directory.session(
      tenantId,
      outcome.session.sessionId,
    );
    expect(session?.status).to.equal('active');
  });

  it('refuses a wrong password, an unknown user and an unknown tenant alike', async function () {
    expect(await login('alice', 'wrong password!')).to.deep.equal({
      kind: 'refused',
    });
    expect(await login('bob', password)).to.deep.equal({ kind: 'refused' });
    expect(await login('alice', password, 'globex')).to.deep.equal({
      kind: 'refused',
    });

    expect(await failuresOf('alice')).to.deep.equal([
      ['LoginFailed', 'wrong_password'],
    ]);
    expect(await failuresOf('bob')).to.deep.equal([
      ['LoginFailed', 'unknown_user'],
    ]);
  });

  it('locks the account after five failures until the window passes', async function () {
    for (let i = 0; i < 5; i++) await login('alice', 'wrong password!');

    const locked = await login('alice', password);
    expect(locked.kind).to.equal('locked');

    f.clock.advance(15 * 60_000 + 1);
    expect((await login('alice', password)).kind).to.equal('started');
    expect((await failuresOf('alice')).at(-2)).to.deep.equal([
      'LoginFailed',
      'locked',
    ]);
  });

  it('refuses a disabled user, and keeps the user from other tenants', async function () {
    const other = await f.tenants.create(
      { slug: 'globex', displayName: 'Globex', egressAddresses: [] },
      'r-0',
    );

    const foreign = await rejectionOf(
      f.users.disable(request(other.tenantId), aliceId),
    );
    expect(foreign).to.be.instanceOf(DomainError);
    expect(foreign).to.have.property('code', 'user_not_found');

    const disabled = await f.users.disable(request(tenantId), aliceId);
    await f.applied(disabled.position);
    expect(await login('alice', password)).to.deep.equal({ kind: 'refused' });
    expect((await failuresOf('alice')).at(-1)).to.deep.equal([
      'LoginFailed',
      'user_disabled',
    ]);
  });

  it('refuses a taken username in another case, and a weak password', async function () {
    const taken = await rejectionOf(
      f.users.create(request(tenantId), {
        username: 'ALICE',
        password,
        role: 'analyst',
      }),
    );
    expect(taken).to.have.property('code', 'user_exists');

    const weak = await rejectionOf(
      f.users.create(request(tenantId), {
        username: 'bob',
        password: 'short',
        role: 'analyst',
      }),
    );
    expect(weak).to.have.property('code', 'password_invalid');
  });

  it('ends a session on logout, but not from another tenant', async function () {
    const outcome = await login('alice', password);
    if (outcome.kind !== 'started') throw new Error('login failed');
    const { sessionId } = outcome.session;

    const other = await f.tenants.create(
      { slug: 'globex', displayName: 'Globex', egressAddresses: [] },
      'r-0',
    );
    const foreign = await rejectionOf(
      f.sessions.end(request(other.tenantId), sessionId),
    );
    expect(foreign).to.have.property('code', 'session_not_found');

    await f.applied(await f.sessions.end(request(tenantId), sessionId));
    const session = await f.directory.session(tenantId, sessionId);
    expect(session?.status).to.equal('ended');
  });

  it('refuses a second tenant with a taken slug', async function () {
    const again = await rejectionOf(
      f.tenants.create(
        { slug: 'acme', displayName: 'Acme again', egressAddresses: [] },
        'r-0',
      ),
    );

    expect(again).to.have.property('code', 'tenant_exists');
  });
});

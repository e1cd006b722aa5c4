import { generateKeyPairSync } from 'node:crypto';

import { expect } from 'chai';
import jwt from 'jsonwebtoken';

import { identityApi } from '../../support/identity-api.js';
import type { IdentityApi } from '../../support/identity-api.js';

interface Claims {
  sub: string;
  tid: string;
  sid: string;
  role: string;
  iss: string;
  aud: string;
  exp: number;
}

const base64url = (value: object) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

describe('session tokens', function () {
  this.timeout(20_000);

  let api: IdentityApi;
  let token: string;
  let claims: Claims;

  const me = (bearer: string) => api.call('GET', '/v1/me', { token: bearer });

  /** The claims of a real session, signed as the test says. */
  function forged(
    changes: Partial<Claims> & { nbf?: number },
    key: jwt.Secret = api.f.tokens.keyFor(claims.tid),
    algorithm: jwt.Algorithm = 'HS256',
  ): string {
    return jwt.sign({ ...claims, ...changes }, key, { algorithm });
  }

  before(async function () {
    api = await identityApi();
    token = await api.login('acme', 'alice');
    claims = jwt.decode(token) as Claims;
  });

  after(async function () {
    await api.dispose();
  });

  it('lets a fresh token in, as the user it names', async function () {
    const answer = await me(token);

    expect(answer.status).to.equal(200);
    expect(answer.body).to.include({
      tenant: 'acme',
      username: 'alice',
      role: 'admin',
    });
  });

  it('expires after 15 minutes and names issuer and audience', function () {
    const lifetime = claims.exp - Math.floor(Date.now() / 1000);

    expect(lifetime).to.be.within(14 * 60, 15 * 60);
    expect(claims).to.include({ iss: 'hakkiri', aud: 'hakkiri-api' });
  });

  it('accepts a token forged with the right key, so the refusals below are real', async function () {
    expect((await me(forged({}))).status).to.equal(200);
  });

  it('still lets a token in after tokens of many made-up tenants', async function () {
    const keys = new Set<unknown>();
    for (let n = 0; n < 1500; n++) {
      keys.add(api.f.tokens.keyFor(`made-up-${n}`));
    }

    expect(keys.size, 'a key of its own for each tenant').to.equal(1500);
    expect((await me(token)).status).to.equal(200);
    expect((await me(forged({}))).status).to.equal(200);
  });

  const refusals: [string, () => string][] = [
    ['no token at all', () => ''],
    [
      'alg none',
      () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`,
    ],
    [
      'another HMAC algorithm',
      () => forged({}, api.f.tokens.keyFor(claims.tid), 'HS512'),
    ],
    [
      'an RSA signature',
      () => {
        const { privateKey } = generateKeyPairSync('rsa', {
          modulusLength: 2048,
        });
        return forged({}, privateKey, 'RS256');
      },
    ],
    ['a bad signature', () => `${token.slice(0, -4)}AAAA`],
    ['a past exp', () => forged({ exp: Math.floor(Date.now() / 1000) - 5 })],
    [
      'a future nbf',
      () => forged({ nbf: Math.floor(Date.now() / 1000) + 600 }),
    ],
    ['the wrong audience', () => forged({ aud: 'someone-else' })],
    ['the wrong issuer', () => forged({ iss: 'someone-else' })],
    [
      "another tenant's key",
      () => forged({}, api.f.tokens.keyFor(api.globex.tenantId)),
    ],
    [
      'claims moved to another tenant',
      () => forged({ tid: api.globex.tenantId }),
    ],
    ['a session that never started', () => forged({ sid: 'nonexistent' })],
  ];

  for (const [name, make] of refusals) {
    it(`refuses ${name} with 401`, async function () {
      const answer = await me(make());

      expect(answer.status).to.equal(401);
      expect(answer.headers.get('content-type')).to.match(
        /^application\/problem\+json/,
      );
      expect(answer.headers.get('www-authenticate')).to.equal('Bearer');
    });
  }

  it('refuses the token of a session that logged out', async function () {
    const own = await api.login('acme', 'alice');

    expect(
      (await api.call('DELETE', '/v1/sessions/current', { token: own })).status,
    ).to.equal(204);
    expect((await me(own)).status).to.equal(401);
    expect((await me(token)).status).to.equal(200);
  });

  it('refuses every session of a disabled user at once', async function () {
    const created = await api.call('POST', '/v1/users', {
      token,
      body: {
        username: 'dora',
        password: 'dora has a long one',
        role: 'analyst',
      },
    });
    const first = await api.login('acme', 'dora', 'dora has a long one');
    const second = await api.login('acme', 'dora', 'dora has a long one');

    const disabled = await api.call('DELETE', `/v1/users/${created.body.id}`, {
      token,
    });

    expect(disabled.status).to.equal(204);
    expect((await me(first)).status).to.equal(401);
    expect((await me(second)).status).to.equal(401);
  });
});

import { expect } from 'chai';
import jsonwebtoken from 'jsonwebtoken';
import type Koa from 'koa';
import koaJwt from 'koa-jwt';

import { buildApi } from '../../src/api/app.js';
import type { Authenticator } from '../../src/api/route-definition.js';
import { silentLogger } from '../../src/logger.js';
import { sampleRoutes, testAuthenticator } from './sample-routes.js';
import { serve } from './served-app.js';
import type { ServedApp } from './served-app.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('API access', function () {
  let served: ServedApp | undefined;

  afterEach(async function () {
    await served?.close();
    served = undefined;
  });

  async function serveWith(authenticator?: Authenticator): Promise<string> {
    const { app } = buildApi({
      logger: silentLogger(),
      routes: sampleRoutes(),
      ...(authenticator === undefined ? {} : { authenticator }),
    });
    served = await serve(app);

    return served.url;
  }

  async function expectUnauthenticated(response: Response): Promise<void> {
    expect(response.status).to.equal(401);
    expect(response.headers.get('www-authenticate')).to.equal('Bearer');
    expect(((await response.json()) as { type: string }).type).to.equal(
      'https://hakkiri.dev/problems/unauthenticated',
    );
  }

  it('answers 401 to a protected route without a token', async function () {
    const url = await serveWith(testAuthenticator);

    await expectUnauthenticated(await fetch(`${url}/v1/items/i-1`));
  });

  it('answers 401 to a protected route with a bad token', async function () {
    const url = await serveWith(testAuthenticator);

    await expectUnauthenticated(
      await fetch(`${url}/v1/items/i-1`, { headers: bearer('forged') }),
    );
  });

  it('lets a known caller through, and marks the answer no-store', async function () {
    const url = await serveWith(testAuthenticator);

    const response = await fetch(`${url}/v1/items/i-1?limit=5`, {
      headers: bearer('analyst-token'),
    });

    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ id: 'i-1', limit: 5 });
    expect(response.headers.get('cache-control')).to.equal('no-store');
  });

  it('authenticates before it reads or validates anything', async function () {
    const url = await serveWith(testAuthenticator);

    const response = await fetch(`${url}/v1/items`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'not even JSON',
    });

    await expectUnauthenticated(response);
  });

  it('answers 403 to an analyst on an admin route, and lets an admin in', async function () {
    const url = await serveWith(testAuthenticator);

    const analyst = await fetch(`${url}/v1/items/i-1`, {
      method: 'DELETE',
      headers: bearer('analyst-token'),
    });
    const admin = await fetch(`${url}/v1/items/i-1`, {
      method: 'DELETE',
      headers: bearer('admin-token'),
    });

    expect(analyst.status).to.equal(403);
    expect(((await analyst.json()) as { type: string }).type).to.equal(
      'https://hakkiri.dev/problems/forbidden',
    );
    expect(admin.status).to.equal(204);
  });

  it('refuses every token by default', async function () {
    const url = await serveWith();

    await expectUnauthenticated(
      await fetch(`${url}/v1/items/i-1`, { headers: bearer('admin-token') }),
    );
  });

  it('answers 401 when the authenticator names no caller', async function () {
    const careless: Authenticator = {
      authenticate: async (_ctx: Koa.Context, next) => next(),
    };
    const url = await serveWith(careless);

    await expectUnauthenticated(await fetch(`${url}/v1/items/i-1`));
  });

  it("answers koa-jwt's own refusals as 401 problems", async function () {
    const secret = 'a-test-secret-of-enough-length-000';
    const jwtAuthenticator: Authenticator = {
      authenticate: koaJwt({ secret, algorithms: ['HS256'], key: 'claims' }),
    };
    const url = await serveWith(jwtAuthenticator);
    const unsigned = jsonwebtoken.sign({ sub: 'u' }, 'another-secret', {
      algorithm: 'HS256',
    });

    await expectUnauthenticated(await fetch(`${url}/v1/items/i-1`));
    await expectUnauthenticated(
      await fetch(`${url}/v1/items/i-1`, { headers: bearer(unsigned) }),
    );
  });
});

import { expect } from 'chai';

import { buildApi } from '../../src/api/app.js';
import type { Transport } from '../../src/api/transport-security.js';
import { silentLogger } from '../../src/logger.js';
import { sampleRoutes, testAuthenticator } from './sample-routes.js';
import { serve } from './served-app.js';
import type { ServedApp } from './served-app.js';

describe('API transport security', function () {
  let served: ServedApp | undefined;

  afterEach(async function () {
    await served?.close();
    served = undefined;
  });

  async function serveWith(transport: Transport): Promise<string> {
    const { app } = buildApi({
      logger: silentLogger(),
      routes: sampleRoutes(),
      authenticator: testAuthenticator,
      transport,
    });
    served = await serve(app);

    return served.url;
  }

  const plain = { tls: false, trustProxy: false };
  const proxied = { tls: false, trustProxy: true };
  const https = { 'X-Forwarded-Proto': 'https' };

  it('sends the security headers on answers and on problems', async function () {
    const url = await serveWith(plain);

    for (const path of ['/healthz', '/nowhere', '/v1/items/i-1']) {
      const response = await fetch(`${url}${path}`);
      const headers = Object.fromEntries(response.headers);

      expect(headers, path).to.include({
        'content-security-policy': "default-src 'none';frame-ancestors 'none'",
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
        'cross-origin-resource-policy': 'same-origin',
      });
    }
  });

  it('sends no HSTS over plain loopback HTTP', async function () {
    const url = await serveWith(plain);

    const response = await fetch(`${url}/healthz`);

    expect(response.headers.has('strict-transport-security')).to.equal(false);
  });

  for (const [name, transport] of [
    ['its own TLS', { tls: true, trustProxy: false }],
    ['a TLS proxy', proxied],
  ] as const) {
    it(`sends HSTS for at least a year behind ${name}`, async function () {
      const url = await serveWith(transport);

      const response = await fetch(`${url}/healthz`, { headers: https });
      const hsts = response.headers.get('strict-transport-security') ?? '';

      expect(hsts).to.include('includeSubDomains');
      expect(Number(/max-age=(\d+)/.exec(hsts)?.[1])).to.be.at.least(31536000);
    });
  }

  it('behind a proxy, refuses a request that came over plain HTTP', async function () {
    const url = await serveWith(proxied);

    const missing = await fetch(`${url}/v1/openapi.json`);
    const plainHttp = await fetch(`${url}/v1/openapi.json`, {
      headers: { 'X-Forwarded-Proto': 'http' },
    });

    for (const response of [missing, plainHttp]) {
      expect(response.status).to.equal(403);
      expect(((await response.json()) as { type: string }).type).to.equal(
        'https://hakkiri.dev/problems/https_required',
      );
    }
  });

  it('behind a proxy, refuses plain HTTP before looking at credentials', async function () {
    const url = await serveWith(proxied);

    const response = await fetch(`${url}/v1/items/i-1`, {
      headers: { Authorization: 'Bearer analyst-token' },
    });

    expect(response.status).to.equal(403);
  });

  it('behind a proxy, serves a request that came over HTTPS', async function () {
    const url = await serveWith(proxied);

    const response = await fetch(`${url}/v1/items/i-1`, {
      headers: { ...https, Authorization: 'Bearer analyst-token' },
    });

    expect(response.status).to.equal(200);
  });

  it('behind a proxy, still answers the probes called on the instance', async function () {
    const url = await serveWith(proxied);

    const health = await fetch(`${url}/healthz`);
    const ready = await fetch(`${url}/readyz`);

    expect(health.status).to.equal(200);
    expect(ready.status).to.equal(200);
  });

  it('without a proxy, ignores X-Forwarded-Proto', async function () {
    const url = await serveWith(plain);

    const response = await fetch(`${url}/v1/openapi.json`, {
      headers: { 'X-Forwarded-Proto': 'http' },
    });

    expect(response.status).to.equal(200);
  });
});

import { expect } from 'chai';

import { buildApi } from '../../src/api/app.js';
import { silentLogger } from '../../src/logger.js';
import { capturedLogger } from '../support/captured-logger.js';
import type { CapturedLogger } from '../support/captured-logger.js';
import { sampleRoutes, testAuthenticator } from './sample-routes.js';
import { jsonBody, serve } from './served-app.js';
import type { ServedApp } from './served-app.js';

const analystAuth = { Authorization: 'Bearer analyst-token' };

describe('API problems', function () {
  let served: ServedApp;
  let log: CapturedLogger;

  beforeEach(async function () {
    log = capturedLogger('info');
    const { app } = buildApi({
      logger: log.logger,
      routes: sampleRoutes(),
      authenticator: testAuthenticator,
      bodyLimitBytes: 1024,
    });
    served = await serve(app);
  });

  afterEach(async function () {
    await served.close();
  });

  async function problemOf(response: Response) {
    expect(response.headers.get('content-type')).to.match(
      /^application\/problem\+json/,
    );

    return (await response.json()) as Record<string, unknown>;
  }

  function post(body: unknown, headers: Record<string, string> = {}) {
    return fetch(
      `${served.url}/v1/items`,
      jsonBody(body, 'POST', { ...analystAuth, ...headers }),
    );
  }

  it('answers an unknown path with a 404 problem carrying the request id', async function () {
    const response = await fetch(`${served.url}/nowhere`);
    const problem = await problemOf(response);

    expect(response.status).to.equal(404);
    expect(problem).to.deep.equal({
      type: 'https://hakkiri.dev/problems/not_found',
      title: 'Not found',
      status: 404,
      detail: 'No resource has this path.',
      requestId: response.headers.get('x-request-id'),
    });
    expect(problem.requestId).to.match(/^[0-9a-f-]{36}$/);
  });

  it('keeps a sane incoming request id and replaces any other', async function () {
    const kept = await fetch(`${served.url}/nowhere`, {
      headers: { 'X-Request-Id': 'lb-1234.abc_DEF' },
    });
    const replaced = await fetch(`${served.url}/nowhere`, {
      headers: { 'X-Request-Id': 'a b {"forged":true}' },
    });
    const tooLong = await fetch(`${served.url}/healthz`, {
      headers: { 'X-Request-Id': 'x'.repeat(65) },
    });

    expect(kept.headers.get('x-request-id')).to.equal('lb-1234.abc_DEF');
    expect(((await kept.json()) as { requestId: string }).requestId).to.equal(
      'lb-1234.abc_DEF',
    );
    expect(replaced.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
    expect(tooLong.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('answers 405 with Allow when the path exists for other methods', async function () {
    const response = await fetch(`${served.url}/v1/items`, analystAuthGet());
    const problem = await problemOf(response);

    expect(response.status).to.equal(405);
    expect(response.headers.get('allow')).to.equal('POST');
    expect(problem.type).to.equal(
      'https://hakkiri.dev/problems/method_not_allowed',
    );
  });

  it('answers OPTIONS with the allowed methods', async function () {
    const response = await fetch(`${served.url}/v1/items/i-1`, {
      method: 'OPTIONS',
    });

    expect(response.status).to.equal(204);
    expect(response.headers.get('allow')).to.equal('HEAD, GET, DELETE');
  });

  it('names every bad field of body, path and query by its path', async function () {
    const badBody = await post({ name: '', count: 1.5, colour: 'red' });
    const badPath = await fetch(
      `${served.url}/v1/items/nope?limit=x&sort=name`,
      analystAuthGet(),
    );

    expect(badBody.status).to.equal(400);
    const bodyProblem = await problemOf(badBody);
    expect(bodyProblem.type).to.equal(
      'https://hakkiri.dev/problems/invalid_request',
    );
    expect(paths(bodyProblem)).to.have.members([
      'body.name',
      'body.count',
      'body.colour',
    ]);
    expect(badPath.status).to.equal(400);
    expect(paths(await problemOf(badPath))).to.have.members([
      'params.itemId',
      'query.limit',
      'query.sort',
    ]);
  });

  it('refuses a query string on a route that declares none', async function () {
    const response = await fetch(`${served.url}/healthz?verbose=1`);

    expect(response.status).to.equal(400);
    expect(paths(await problemOf(response))).to.deep.equal(['query.verbose']);
  });

  it('hands the handler the validated body and its exact bytes', async function () {
    const text = '{ "name": "x",  "count": 2 }';
    const response = await post(text);

    expect(response.status).to.equal(201);
    expect(await response.json()).to.deep.equal({
      name: 'x',
      count: 2,
      bytes: Buffer.byteLength(text),
      keptOnState: true,
      by: 'user-1',
    });
  });

  it('answers malformed JSON with 400 and does not quote it back', async function () {
    const response = await post('{"name": "secret-canary", ');
    const text = await response.text();

    expect(response.status).to.equal(400);
    expect(JSON.parse(text).type).to.equal(
      'https://hakkiri.dev/problems/malformed_json',
    );
    expect(text).not.to.include('secret-canary');
  });

  it('answers a body over the limit with 413', async function () {
    const response = await post({ name: 'x'.repeat(2000), count: 1 });

    expect(response.status).to.equal(413);
    expect((await problemOf(response)).type).to.equal(
      'https://hakkiri.dev/problems/payload_too_large',
    );
  });

  it('answers a chunked body over the limit with 413', async function () {
    const chunks = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('"' + 'x'.repeat(3000)));
        controller.close();
      },
    });
    const response = await fetch(`${served.url}/v1/items`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...analystAuth },
      body: chunks,
      duplex: 'half',
    } as RequestInit);

    expect(response.status).to.equal(413);
  });

  const unsupported: [string, Record<string, string>][] = [
    ['text/plain', { 'Content-Type': 'text/plain' }],
    [
      'JSON in Latin-1',
      { 'Content-Type': 'application/json; charset=iso-8859-1' },
    ],
    ['gzip', { 'Content-Encoding': 'gzip' }],
  ];
  for (const [name, headers] of unsupported) {
    it(`answers a ${name} body with 415`, async function () {
      const response = await post({ name: 'x', count: 1 }, headers);

      expect(response.status).to.equal(415);
      expect((await problemOf(response)).type).to.equal(
        'https://hakkiri.dev/problems/unsupported_media_type',
      );
    });
  }

  it('accepts application/json with a UTF-8 charset', async function () {
    const response = await post(
      { name: 'x', count: 1 },
      { 'Content-Type': 'application/json; charset=UTF-8' },
    );

    expect(response.status).to.equal(201);
  });

  it('answers an unknown error with a bare 500, and logs it', async function () {
    const response = await fetch(`${served.url}/v1/failures/anything`);
    const text = await response.text();
    const requestId = response.headers.get('x-request-id');

    expect(response.status).to.equal(500);
    expect(JSON.parse(text)).to.deep.equal({
      type: 'https://hakkiri.dev/problems/internal_error',
      title: 'Internal server error',
      status: 500,
      requestId,
    });
    expect(text).not.to.match(/secret internals|at .*\.ts/);
    const logged = log.lines().find((line) => line.level === 50);
    expect(logged).to.deep.include({ requestId, msg: 'request failed' });
    expect((logged!.err as { message: string }).message).to.include(
      'secret internals',
    );
  });

  it('maps a domain refusal by its kind, and keeps its code', async function () {
    const missing = await fetch(`${served.url}/v1/items/i-0`, analystAuthGet());
    const conflict = await fetch(`${served.url}/v1/failures/conflict`);

    expect(missing.status).to.equal(404);
    expect(await problemOf(missing)).to.deep.include({
      type: 'https://hakkiri.dev/problems/not_found',
      code: 'item_not_found',
      detail: 'No item i-0.',
    });
    expect(conflict.status).to.equal(409);
    expect((await problemOf(conflict)).code).to.equal('name_taken');
  });

  it('answers an unavailable store with 503, hiding its message', async function () {
    const response = await fetch(`${served.url}/v1/failures/store`);
    const problem = await problemOf(response);

    expect(response.status).to.equal(503);
    expect(problem.type).to.equal(
      'https://hakkiri.dev/problems/store_unavailable',
    );
    expect(problem).not.to.have.property('detail');
    expect(log.lines().some((line) => line.level === 50)).to.equal(true);
  });

  it('answers a read model that lags behind a change with 503 and Retry-After, saying the change is recorded', async function () {
    const response = await fetch(`${served.url}/v1/failures/lagging`);
    const problem = await problemOf(response);

    expect(response.status).to.equal(503);
    expect(response.headers.get('retry-after')).to.equal('1');
    expect(problem).to.deep.include({
      type: 'https://hakkiri.dev/problems/read_model_lagging',
      status: 503,
    });
    expect(problem.detail).to.include('The change is recorded');
    expect(problem.detail).not.to.include('identity');
    expect(log.lines().some((line) => line.level === 50)).to.equal(false);
  });

  it('answers 429 with Retry-After in whole seconds', async function () {
    const response = await fetch(`${served.url}/v1/failures/slow-down`);

    expect(response.status).to.equal(429);
    expect(response.headers.get('retry-after')).to.equal('3');
    expect((await problemOf(response)).type).to.equal(
      'https://hakkiri.dev/problems/too_many_requests',
    );
  });

  it("maps Koa's exposed HTTP errors without their message", async function () {
    const response = await fetch(`${served.url}/v1/failures/koa`);
    const problem = await problemOf(response);

    expect(response.status).to.equal(409);
    expect(problem.type).to.equal('https://hakkiri.dev/problems/conflict');
    expect(JSON.stringify(problem)).not.to.include('library detail');
  });

  it('is not cached', async function () {
    const response = await fetch(`${served.url}/nowhere`);

    expect(response.headers.get('cache-control')).to.equal('no-store');
  });
});

describe('API shell without routes', function () {
  it('still answers /healthz as before', async function () {
    const served = await serve(buildApi({ logger: silentLogger() }).app);
    try {
      const response = await fetch(`${served.url}/healthz`);

      expect(response.status).to.equal(200);
      expect(await response.json()).to.deep.equal({ status: 'ok' });
    } finally {
      await served.close();
    }
  });
});

function analystAuthGet(): RequestInit {
  return { headers: analystAuth };
}

function paths(problem: Record<string, unknown>): string[] {
  return (problem.errors as { path: string }[]).map((error) => error.path);
}

import { expect } from 'chai';

import { buildApi } from '../../src/api/app.js';
import { capturedLogger } from '../support/captured-logger.js';
import { sampleRoutes, testAuthenticator } from './sample-routes.js';
import { jsonBody, serve } from './served-app.js';

describe('the request log', function () {
  async function logOf(
    path: string,
    init: RequestInit = {},
  ): Promise<{ lines: Record<string, unknown>[]; response: Response }> {
    const log = capturedLogger('info');
    const { app } = buildApi({
      logger: log.logger,
      routes: sampleRoutes(),
      authenticator: testAuthenticator,
    });
    const served = await serve(app);
    try {
      const response = await fetch(`${served.url}${path}`, init);
      await response.arrayBuffer();

      return { lines: log.lines(), response };
    } finally {
      await served.close();
    }
  }

  it('logs one line per request with its id, route template, status and duration', async function () {
    const { lines, response } = await logOf('/v1/items/i-7?limit=3', {
      headers: { Authorization: 'Bearer analyst-token' },
    });

    expect(lines).to.have.length(1);
    expect(lines[0]).to.deep.include({
      level: 30,
      requestId: response.headers.get('x-request-id'),
      method: 'GET',
      route: '/v1/items/:itemId',
      status: 200,
      msg: 'request answered',
    });
    expect(lines[0]!.durationMs).to.be.a('number');
  });

  it('logs the final status of a refused request', async function () {
    const { lines } = await logOf('/v1/items/i-7');

    expect(lines[0]).to.deep.include({
      route: '/v1/items/:itemId',
      status: 401,
    });
  });

  it('never logs the raw path, the query string, headers or the body', async function () {
    const { lines } = await logOf(
      '/v1/items?canary-query=1',
      jsonBody({ name: 'canary-body', count: 1 }, 'POST', {
        Authorization: 'Bearer analyst-token',
        'X-Canary': 'canary-header',
      }),
    );
    const text = JSON.stringify(lines);

    expect(lines).to.have.length(1);
    expect(lines[0]).to.deep.include({ route: '/v1/items', status: 400 });
    expect(text).not.to.match(/canary|analyst-token/);
    expect(text).not.to.include('/v1/items?');
  });
});

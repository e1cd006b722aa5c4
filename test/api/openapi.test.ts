import { expect } from 'chai';
import { z } from 'zod';

import { analyticsRoutes } from '../../src/api/analytics/analytics-routes.js';
import { analyticsServices } from '../../src/api/analytics/analytics-services.js';
import { buildApi } from '../../src/api/app.js';
import { identityRoutes } from '../../src/api/identity/identity-routes.js';
import type { Api } from '../../src/api/app.js';
import { openApiPath } from '../../src/api/openapi-document.js';
import type { OpenApiDocument } from '../../src/api/openapi-document.js';
import { defineRoute } from '../../src/api/route-definition.js';
import { silentLogger } from '../../src/logger.js';
import { identityFixture } from '../support/identity-fixture.js';
import type { IdentityFixture } from '../support/identity-fixture.js';
import { sampleRoutes } from './sample-routes.js';
import { serve } from './served-app.js';

type Operation = {
  operationId: string;
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, unknown> }>;
};

function operation(
  document: OpenApiDocument,
  path: string,
  method: string,
): Operation | undefined {
  const item = document.paths?.[path] as Record<string, Operation> | undefined;

  return item?.[method];
}

/** Each method and path on the router that the document lacks. */
function undocumented(api: Api): string[] {
  const registered = api.router.stack.flatMap((layer) =>
    layer.methods
      // The router adds HEAD to every GET; OpenAPI leaves it implied.
      .filter((method) => method !== 'HEAD')
      .map((method) => ({ path: String(layer.path), method })),
  );

  return registered
    .filter(
      ({ path, method }) =>
        operation(api.document, openApiPath(path), method.toLowerCase()) ===
        undefined,
    )
    .map(({ path, method }) => `${method} ${path}`);
}

describe('the OpenAPI document', function () {
  const api = buildApi({ logger: silentLogger(), routes: sampleRoutes() });

  it('describes every route registered on the router', function () {
    expect(api.router.stack).to.have.length.greaterThan(5);
    expect(undocumented(api)).to.deep.equal([]);
  });

  it('is served at /v1/openapi.json as OpenAPI 3.1, without a token', async function () {
    const served = await serve(api.app);
    try {
      const response = await fetch(`${served.url}/v1/openapi.json`);
      const document = (await response.json()) as OpenApiDocument;

      expect(response.status).to.equal(200);
      expect(document.openapi).to.equal('3.1.0');
      expect(document.info).to.include.keys('title', 'version');
      expect(document.paths).to.include.keys(
        '/healthz',
        '/readyz',
        '/v1/openapi.json',
        '/v1/items/{itemId}',
      );
      expect(document.components?.schemas).to.have.property('Problem');
      expect(document.components?.securitySchemes).to.deep.equal({
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      });
    } finally {
      await served.close();
    }
  });

  it('asks for a bearer token on every route that is not public', function () {
    const read = operation(api.document, '/v1/items/{itemId}', 'get')!;
    const health = operation(api.document, '/healthz', 'get')!;

    expect(read.security).to.deep.equal([{ bearerAuth: [] }]);
    expect(health.security).to.deep.equal([]);
  });

  it('lists the problems of each route, with the shared Problem schema', function () {
    const remove = operation(api.document, '/v1/items/{itemId}', 'delete')!;
    const create = operation(api.document, '/v1/items', 'post')!;
    const fail = operation(api.document, '/v1/failures/{kind}', 'get')!;

    expect(Object.keys(remove.responses)).to.have.members([
      '204',
      '400',
      '401',
      '403',
      '500',
    ]);
    expect(Object.keys(create.responses)).to.include.members([
      '201',
      '400',
      '401',
      '413',
      '415',
      '500',
    ]);
    expect(Object.keys(fail.responses)).to.include.members(['409', '429']);
    expect(remove.responses['403']!.content).to.deep.equal({
      'application/problem+json': {
        schema: { $ref: '#/components/schemas/Problem' },
      },
    });
  });

  it('documents path and query parameters and the body from their schemas', function () {
    const read = operation(api.document, '/v1/items/{itemId}', 'get')!;
    const create = operation(api.document, '/v1/items', 'post')!;

    expect(read.parameters?.map((p) => `${p.in}:${p.name}`)).to.have.members([
      'path:itemId',
      'query:limit',
    ]);
    expect(create.requestBody).to.deep.nested.include({
      'content.application/json.schema.additionalProperties': false,
    });
  });

  it('fails the completeness check for a route added behind its back', function () {
    const sneaky = buildApi({ logger: silentLogger() });
    sneaky.router.get('/v1/undocumented', (ctx) => {
      ctx.body = {};
    });

    expect(undocumented(sneaky)).to.deep.equal(['GET /v1/undocumented']);
  });

  it('builds from a route with a body of any schema', function () {
    const route = defineRoute({
      method: 'put',
      path: '/v1/tags',
      operationId: 'putTags',
      summary: 'Replaces the tags',
      access: 'admin',
      request: { body: z.array(z.string()) },
      responses: { 204: { description: 'Replaced' } },
      errors: [],
      handle: async () => ({ status: 204 }),
    });

    const document = buildApi({
      logger: silentLogger(),
      routes: [route],
    }).document;

    expect(operation(document, '/v1/tags', 'put')?.operationId).to.equal(
      'putTags',
    );
  });
});

describe("the OpenAPI document of the service's own routes", function () {
  let fixture: IdentityFixture;
  let api: Api;

  before(async function () {
    fixture = await identityFixture();
    const analytics = analyticsServices({
      eventStore: fixture.store,
      readStore: fixture.readStore,
      logger: silentLogger(),
      blindIndex: fixture.encryption.blindIndex,
    });
    api = buildApi({
      logger: silentLogger(),
      routes: [
        ...identityRoutes(fixture, 'https://hakkiri.example'),
        ...analyticsRoutes(analytics),
      ],
      authenticator: fixture.authenticator,
    });
  });

  after(async function () {
    await fixture.dispose();
  });

  it('describes every identity route', function () {
    expect(undocumented(api)).to.deep.equal([]);
    expect(api.document.paths).to.include.keys(
      '/v1/sessions',
      '/v1/me',
      '/v1/users/{id}',
      '/v1/account/network',
    );
  });

  it('describes every analytics route, and how its percentiles are ranked', function () {
    const queries = [
      'throughput',
      'created-vs-resolved',
      'wip',
      'cfd',
      'cycle-time',
      'lead-time',
      'time-in-status',
      'aging',
    ];

    expect(undocumented(api)).to.deep.equal([]);
    expect(api.document.paths).to.include.keys(
      ...queries.map((query) => `/v1/analytics/${query}`),
      '/v1/analytics/status-mapping',
      '/v1/account/settings',
    );
    for (const query of [
      'cycle-time',
      'lead-time',
      'time-in-status',
      'aging',
    ]) {
      const get = api.document.paths![`/v1/analytics/${query}`]!.get!;
      expect(get.description, query).to.contain('nearest-rank method');
    }
  });

  it('lists 429 on login and 404 on a user', function () {
    const login = operation(api.document, '/v1/sessions', 'post')!;
    const user = operation(api.document, '/v1/users/{id}', 'get')!;

    expect(Object.keys(login.responses)).to.include.members([
      '201',
      '401',
      '429',
    ]);
    expect(Object.keys(user.responses)).to.include.members([
      '200',
      '403',
      '404',
    ]);
  });
});

import { expect } from 'chai';
import { z } from 'zod';

import { buildApi } from '../../src/api/app.js';
import { RouteDefinitionError } from '../../src/api/route-checks.js';
import { defineRoute } from '../../src/api/route-definition.js';
import type { RouteDefinition } from '../../src/api/route-definition.js';
import { silentLogger } from '../../src/logger.js';

function route(overrides: Partial<RouteDefinition>): RouteDefinition {
  return {
    ...defineRoute({
      method: 'get',
      path: '/v1/things',
      operationId: 'listThings',
      summary: 'Lists the things',
      access: 'authenticated',
      responses: { 200: { description: 'The things' } },
      errors: [],
      handle: async () => ({ status: 200, body: [] }),
    }),
    ...overrides,
  } as RouteDefinition;
}

function build(routes: RouteDefinition[]) {
  return () => buildApi({ logger: silentLogger(), routes });
}

describe('route definitions', function () {
  it('accepts a well-formed route', function () {
    expect(build([route({})])).not.to.throw();
  });

  it('refuses two routes for one method and path', function () {
    expect(build([route({}), route({ operationId: 'other' })])).to.throw(
      RouteDefinitionError,
      /GET \/v1\/things: is defined twice/,
    );
  });

  it('refuses a reused operation id', function () {
    expect(build([route({}), route({ method: 'post' })])).to.throw(
      RouteDefinitionError,
      /reuses an operation id/,
    );
  });

  it('refuses a route that takes over a probe', function () {
    expect(build([route({ path: '/healthz' })])).to.throw(
      RouteDefinitionError,
      /is defined twice/,
    );
  });

  it('refuses path parameters the params schema does not name', function () {
    const undeclared = route({ path: '/v1/things/:thingId' });
    const misnamed = route({
      path: '/v1/things/:thingId',
      request: { params: z.strictObject({ id: z.string() }) },
    });

    expect(build([undeclared])).to.throw(RouteDefinitionError, /differ/);
    expect(build([misnamed])).to.throw(RouteDefinitionError, /differ/);
  });

  it('refuses wildcards and optional groups', function () {
    expect(build([route({ path: '/v1/files/*rest' })])).to.throw(
      RouteDefinitionError,
      /path syntax/,
    );
  });

  for (const part of ['query', 'body'] as const) {
    it(`refuses a ${part} object that is not strict`, function () {
      const loose = route({
        method: 'post',
        request: { [part]: z.object({ name: z.string() }) },
      });

      expect(build([loose])).to.throw(
        RouteDefinitionError,
        new RegExp(`${part} must be a strict object`),
      );
    });
  }
});

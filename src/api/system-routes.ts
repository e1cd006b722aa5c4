import { z } from 'zod';

import type { OpenApiDocument } from './openapi-document.js';
import { defineRoute } from './route-definition.js';
import type { RouteDefinition } from './route-definition.js';

/** `GET /healthz`: liveness, the process is up and serving requests. */
export const healthRoute = defineRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'getHealth',
  summary: 'Liveness: the process is up',
  tags: ['operations'],
  access: 'public',
  responses: {
    200: {
      description: 'The process is up',
      schema: z.object({ status: z.literal('ok') }),
    },
  },
  errors: [],
  handle: async () => ({ status: 200, body: { status: 'ok' } }),
});

/**
 * `GET /v1/openapi.json`: the document describing the API. Public: it
 * describes the interface and holds no customer data.
 */
export function openApiRoute(document: () => OpenApiDocument): RouteDefinition {
  return defineRoute({
    method: 'get',
    path: '/v1/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'The OpenAPI 3.1 document of this API',
    tags: ['operations'],
    access: 'public',
    responses: {
      200: {
        description: 'The OpenAPI document',
        schema: z.looseObject({ openapi: z.string() }),
      },
    },
    errors: [],
    handle: async () => ({ status: 200, body: document() }),
  });
}

import { STATUS_CODES } from 'node:http';

import { z } from 'zod';
import { createDocument } from 'zod-openapi';
import type {
  oas31,
  ZodOpenApiOperationObject,
  ZodOpenApiPathsObject,
  ZodOpenApiResponseObject,
  ZodOpenApiResponsesObject,
} from 'zod-openapi';

import { problemSchema } from './problem-types.js';
import type { RouteDefinition } from './route-definition.js';

export type OpenApiDocument = oas31.OpenAPIObject;

type StatusKey = keyof ZodOpenApiResponsesObject & `${number}`;

const bearerScheme = 'bearerAuth';

/** Problem statuses that need a header to be understood. */
const problemHeaders: Record<number, z.ZodObject> = {
  401: z.object({
    'WWW-Authenticate': z.string().meta({ description: 'Always `Bearer`' }),
  }),
  429: z.object({
    'Retry-After': z
      .string()
      .meta({ description: 'Seconds to wait before trying again' }),
  }),
  // A store that is down gives no hint; a restore or a read model that
  // is catching up does.
  503: z.object({
    'Retry-After': z.string().optional().meta({
      description: 'Seconds to wait before trying again, where known',
    }),
  }),
};

/**
 * The OpenAPI 3.1 document of the given routes, built from the same zod
 * schemas that validate their requests.
 */
export function openApiDocument(
  routes: readonly RouteDefinition[],
): OpenApiDocument {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Hakkiri API',
      version: '1',
      description: 'Flow analytics for the tools an organisation uses.',
    },
    paths: pathsOf(routes),
    components: {
      schemas: { Problem: problemSchema },
      securitySchemes: {
        [bearerScheme]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
  }) as OpenApiDocument;
}

/** `/v1/users/:id` in OpenAPI's syntax: `/v1/users/{id}`. */
export function openApiPath(routerPath: string): string {
  return routerPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

function pathsOf(routes: readonly RouteDefinition[]): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operationOf(route) };
  }

  return paths;
}

function operationOf(route: RouteDefinition): ZodOpenApiOperationObject {
  const request = route.request ?? {};

  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description === undefined
      ? {}
      : { description: route.description }),
    ...(route.tags === undefined ? {} : { tags: route.tags }),
    security: route.access === 'public' ? [] : [{ [bearerScheme]: [] }],
    ...parametersOf(route),
    ...(request.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: request.body } },
          },
        }),
    responses: { ...successesOf(route), ...problemsOf(route) },
  };
}

function parametersOf(
  route: RouteDefinition,
): Pick<ZodOpenApiOperationObject, 'requestParams'> {
  const { params, query } = route.request ?? {};
  if (params === undefined && query === undefined) return {};

  return {
    requestParams: {
      ...(params === undefined ? {} : { path: params }),
      ...(query === undefined ? {} : { query }),
    },
  };
}

function successesOf(route: RouteDefinition): ZodOpenApiResponsesObject {
  const responses: ZodOpenApiResponsesObject = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const documented: ZodOpenApiResponseObject = {
      description: response.description,
    };
    if (response.schema !== undefined) {
      documented.content = { 'application/json': { schema: response.schema } };
    }
    if (response.headers !== undefined) documented.headers = response.headers;
    responses[status as StatusKey] = documented;
  }

  return responses;
}

function problemsOf(route: RouteDefinition): ZodOpenApiResponsesObject {
  const responses: ZodOpenApiResponsesObject = {};
  for (const status of problemStatuses(route)) {
    responses[String(status) as StatusKey] = {
      description: STATUS_CODES[status] ?? 'Problem',
      content: { 'application/problem+json': { schema: problemSchema } },
      ...(problemHeaders[status] === undefined
        ? {}
        : { headers: problemHeaders[status] }),
    };
  }

  return responses;
}

/**
 * The statuses the shell itself can answer for a route, with the route's
 * own. Every route validates its query, so 400 is always possible.
 */
export function problemStatuses(route: RouteDefinition): number[] {
  const statuses = new Set([400, 500, ...route.errors]);
  if (route.access !== 'public') statuses.add(401);
  if (route.access === 'admin') statuses.add(403);
  if (route.request?.body !== undefined) {
    statuses.add(413);
    statuses.add(415);
  }
  if (route.readsTenantModels) statuses.add(503);

  return [...statuses].sort((a, b) => a - b);
}

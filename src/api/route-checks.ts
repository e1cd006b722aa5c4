import { z } from 'zod';

import { HakkiriError } from '../domain/hakkiri-error.js';
import type { RouteDefinition } from './route-definition.js';

/** A route definition the shell cannot serve; raised at start-up. */
export class RouteDefinitionError extends HakkiriError {
  readonly code = 'invalid_route';

  constructor(route: RouteDefinition, problem: string) {
    super(`${route.method.toUpperCase()} ${route.path}: ${problem}`);
  }
}

const parameterPattern = /:([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Path syntax beyond `:name` (wildcards, optional groups) cannot be put in
 * the OpenAPI document the same way, so it is refused.
 */
const unsupportedPathSyntax = /[*?(){}]/;

/**
 * Refuses, before the server listens, the mistakes a route list can hold:
 * two routes for one method and path, a reused operation id, a path whose
 * parameters differ from its schema, and objects that are not strict.
 */
export function checkRoutes(routes: readonly RouteDefinition[]): void {
  const seenRoutes = new Set<string>();
  const seenOperations = new Set<string>();

  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (seenRoutes.has(key)) {
      throw new RouteDefinitionError(route, 'is defined twice');
    }
    if (seenOperations.has(route.operationId)) {
      throw new RouteDefinitionError(route, 'reuses an operation id');
    }
    seenRoutes.add(key);
    seenOperations.add(route.operationId);

    checkRoute(route);
  }
}

/** The names of a koa-router path's parameters, in order. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(parameterPattern)].map((match) => match[1]!);
}

function checkRoute(route: RouteDefinition): void {
  if (!route.path.startsWith('/') || unsupportedPathSyntax.test(route.path)) {
    throw new RouteDefinitionError(route, 'uses path syntax beyond :name');
  }

  const declared = Object.keys(route.request?.params?.shape ?? {}).sort();
  const inPath = pathParameterNames(route.path).sort();
  if (declared.join() !== inPath.join()) {
    throw new RouteDefinitionError(
      route,
      'path parameters and params schema differ',
    );
  }

  // Only the top-level object is checked: an object nested in a body must
  // be strict as well, and a loose one there is not caught here.
  for (const part of ['params', 'query', 'body'] as const) {
    if (part === 'body' && route.request?.externalBody) continue;
    const schema = route.request?.[part];
    if (schema instanceof z.ZodObject && !isStrict(schema)) {
      throw new RouteDefinitionError(route, `${part} must be a strict object`);
    }
  }
}

function isStrict(schema: z.ZodObject): boolean {
  return schema.def.catchall?._zod.def.type === 'never';
}

import type Router from '@koa/router';
import type Koa from 'koa';

import {
  ForbiddenError,
  MethodNotAllowedError,
  RouteNotFoundError,
  TenantRestoringError,
  UnauthenticatedError,
} from './api-errors.js';
import { apiState } from './api-state.js';
import { validInput } from './request-input.js';
import type {
  Authenticator,
  Principal,
  RouteDefinition,
  RouteResult,
} from './route-definition.js';

export interface MountOptions {
  authenticator: Authenticator;
  bodyLimitBytes: number;
  /** Seconds until a tenant's read models can be read; 0 when now. */
  tenantAvailability?: (tenantId: string) => Promise<number>;
}

/**
 * Registers a route on the router: the caller is authenticated and its
 * role checked before anything of the request is read, then the input is
 * validated and the handler's result becomes the answer.
 */
export function mountRoute(
  router: Router,
  route: RouteDefinition,
  { authenticator, bodyLimitBytes, tenantAvailability }: MountOptions,
): void {
  const steps: Koa.Middleware[] = [namedRoute(route.path)];
  if (route.access !== 'public') {
    steps.push(noStore, authenticator.authenticate, requireAccess(route));
  }
  if (route.readsTenantModels && tenantAvailability) {
    steps.push(tenantAvailable(tenantAvailability));
  }
  steps.push(handled(route, bodyLimitBytes));

  router.register(route.path, [route.method.toUpperCase()], steps);
}

/**
 * Answers what no route answered: 405 with `Allow` when the path exists
 * for other methods, else 404. OPTIONS gets the allowed methods.
 */
export function unmatchedRoute(): Koa.Middleware {
  return async (ctx) => {
    const matched = (ctx as { matched?: { methods: string[] }[] }).matched;
    const allowed = [...new Set(matched?.flatMap((layer) => layer.methods))];
    if (allowed.length === 0) throw new RouteNotFoundError();

    if (ctx.method === 'OPTIONS') {
      ctx.set('Allow', allowed.join(', '));
      ctx.status = 204;
      return;
    }

    throw new MethodNotAllowedError(allowed);
  };
}

function namedRoute(path: string): Koa.Middleware {
  return async (ctx, next) => {
    apiState(ctx).route = path;
    await next();
  };
}

// Answers about a tenant's data are never kept by browsers or proxies.
const noStore: Koa.Middleware = async (ctx, next) => {
  ctx.set('Cache-Control', 'no-store');
  await next();
};

function requireAccess(route: RouteDefinition): Koa.Middleware {
  return async (ctx, next) => {
    const principal = apiState(ctx).principal;

    // An authenticator that lets a request through without naming the
    // caller has not authenticated it.
    if (principal === undefined) throw new UnauthenticatedError();
    if (route.access === 'admin' && principal.role !== 'admin') {
      throw new ForbiddenError();
    }

    await next();
  };
}

/** A tenant whose read models are being restored waits; others do not. */
function tenantAvailable(
  availability: (tenantId: string) => Promise<number>,
): Koa.Middleware {
  return async (ctx, next) => {
    const principal = apiState(ctx).principal;
    const waitSeconds = principal ? await availability(principal.tenantId) : 0;
    if (waitSeconds > 0) throw new TenantRestoringError(waitSeconds);

    await next();
  };
}

function handled(
  route: RouteDefinition,
  bodyLimitBytes: number,
): Koa.Middleware {
  return async (ctx) => {
    const input = await validInput(ctx, route, bodyLimitBytes);
    const principal: Principal | undefined = apiState(ctx).principal;

    const result = await route.handle({ ...input, principal, ctx });

    answer(ctx, result);
  };
}

function answer(ctx: Koa.Context, result: RouteResult): void {
  ctx.status = result.status;
  if (result.headers !== undefined) ctx.set(result.headers);
  if (result.body !== undefined) ctx.body = result.body;
}

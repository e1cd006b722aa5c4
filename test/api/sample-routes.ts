import type Koa from 'koa';
import { z } from 'zod';

import {
  TooManyRequestsError,
  UnauthenticatedError,
} from '../../src/api/api-errors.js';
import { defineRoute } from '../../src/api/route-definition.js';
import type {
  Authenticator,
  Principal,
  RouteDefinition,
} from '../../src/api/route-definition.js';
import { DomainError } from '../../src/domain/domain-error.js';
import { StoreUnavailableError } from '../../src/ports/errors.js';
import { ReadModelLagError } from '../../src/projections/projection-watermark.js';

export const analyst: Principal = {
  tenantId: 'tenant-a',
  userId: 'user-1',
  username: 'ann',
  role: 'analyst',
  sessionId: 'session-1',
};

export const admin: Principal = { ...analyst, userId: 'user-2', role: 'admin' };

const tokens: Record<string, Principal> = {
  'analyst-token': analyst,
  'admin-token': admin,
};

/** Knows two bearer tokens, one per role; refuses anything else. */
export const testAuthenticator: Authenticator = {
  authenticate: async (ctx: Koa.Context, next) => {
    const token = /^Bearer (.+)$/.exec(ctx.get('Authorization'))?.[1];
    const principal = token === undefined ? undefined : tokens[token];
    if (principal === undefined) throw new UnauthenticatedError();

    ctx.state.principal = principal;
    await next();
  },
};

const itemSchema = z.strictObject({
  name: z.string().min(1),
  count: z.number().int(),
});

/** Routes of every access level, shape and failure the shell handles. */
export function sampleRoutes(): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/items',
      operationId: 'createItem',
      summary: 'Creates an item',
      access: 'authenticated',
      request: { body: itemSchema },
      responses: { 201: { description: 'Created', schema: itemSchema } },
      errors: [],
      handle: async ({ body, rawBody, principal, ctx }) => ({
        status: 201,
        body: {
          ...body,
          bytes: rawBody?.length,
          keptOnState: ctx.state.rawBody === rawBody,
          by: principal.userId,
        },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/items/:itemId',
      operationId: 'getItem',
      summary: 'Reads an item',
      access: 'authenticated',
      request: {
        params: z.strictObject({ itemId: z.string().regex(/^i-\d+$/) }),
        query: z.strictObject({ limit: z.coerce.number().int().optional() }),
      },
      responses: { 200: { description: 'The item' } },
      errors: [404],
      handle: async ({ params, query }) => {
        if (params.itemId === 'i-0') {
          throw new DomainError('item_not_found', 'not_found', 'No item i-0.');
        }

        return { status: 200, body: { id: params.itemId, limit: query.limit } };
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/items/:itemId',
      operationId: 'deleteItem',
      summary: 'Deletes an item',
      access: 'admin',
      request: { params: z.strictObject({ itemId: z.string() }) },
      responses: { 204: { description: 'Deleted' } },
      errors: [],
      handle: async () => ({ status: 204 }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/failures/:kind',
      operationId: 'fail',
      summary: 'Fails the way it is asked to',
      access: 'public',
      request: { params: z.strictObject({ kind: z.string() }) },
      responses: { 200: { description: 'Never' } },
      errors: [409, 429, 503],
      handle: async ({ params, ctx }) => {
        throw failure(params.kind, ctx);
      },
    }),
  ];
}

function failure(kind: string, ctx: Koa.Context): unknown {
  switch (kind) {
    case 'store':
      return new StoreUnavailableError('the read store is down');
    case 'lagging':
      return new ReadModelLagError('identity');
    case 'slow-down':
      return new TooManyRequestsError(2.5);
    case 'conflict':
      return new DomainError('name_taken', 'conflict', 'The name is taken.');
    case 'koa':
      return ctx.throw(409, 'library detail');
    default:
      return new Error('secret internals: /var/lib/hakkiri/events.sqlite');
  }
}

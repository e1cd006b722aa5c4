import { DomainError } from '../../domain/domain-error.js';
import { apiState } from '../api-state.js';
import { defineRoute } from '../route-definition.js';
import type { Principal, RouteDefinition } from '../route-definition.js';
import type Koa from 'koa';
import {
  newUserSchema,
  userChangeSchema,
  userIdSchema,
  userListQuerySchema,
  userPageSchema,
  userSchema,
  userView,
} from './identity-schemas.js';
import type { IdentityServices } from './identity-services.js';

/** An admin's management of the users of their own tenant. */
export function userRoutes(identity: IdentityServices): RouteDefinition[] {
  const { directory, users } = identity;

  /** Reads the user back once the read model shows the change. */
  async function shown(principal: Principal, change: Change) {
    await identity.applied(change.position);
    const account = await directory.accountById(
      principal.tenantId,
      change.userId,
    );
    if (!account) throw notFound();

    return userView(account);
  }

  return [
    defineRoute({
      method: 'post',
      path: '/v1/users',
      operationId: 'createUser',
      summary: 'Create a user of this tenant',
      tags: ['users'],
      access: 'admin',
      request: { body: newUserSchema },
      responses: { 201: { description: 'The user', schema: userSchema } },
      errors: [409, 503],
      handle: async ({ body, principal, ctx }) => {
        const change = await users.create(requester(principal, ctx), body);

        return { status: 201, body: await shown(principal, change) };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/v1/users',
      operationId: 'listUsers',
      summary: 'List the users of this tenant, by username',
      tags: ['users'],
      access: 'admin',
      request: { query: userListQuerySchema },
      responses: { 200: { description: 'A page', schema: userPageSchema } },
      errors: [],
      handle: async ({ query, principal }) => {
        const page = await directory.listAccounts(principal.tenantId, query);

        return {
          status: 200,
          body: { ...page, items: page.items.map(userView) },
        };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/v1/users/:id',
      operationId: 'getUser',
      summary: 'One user of this tenant',
      tags: ['users'],
      access: 'admin',
      request: { params: userIdSchema },
      responses: { 200: { description: 'The user', schema: userSchema } },
      errors: [404],
      handle: async ({ params, principal }) => {
        const account = await directory.accountById(
          principal.tenantId,
          params.id,
        );
        if (!account) throw notFound();

        return { status: 200, body: userView(account) };
      },
    }),

    defineRoute({
      method: 'patch',
      path: '/v1/users/:id',
      operationId: 'changeUser',
      summary: "Change a user's role",
      description: 'Admins cannot change their own role.',
      tags: ['users'],
      access: 'admin',
      request: { params: userIdSchema, body: userChangeSchema },
      responses: { 200: { description: 'The user', schema: userSchema } },
      errors: [404, 409, 503],
      handle: async ({ params, body, principal, ctx }) => {
        refuseSelf(principal, params.id);
        const change = await users.changeRole(
          requester(principal, ctx),
          params.id,
          body.role,
        );

        return { status: 200, body: await shown(principal, change) };
      },
    }),

    defineRoute({
      method: 'delete',
      path: '/v1/users/:id',
      operationId: 'disableUser',
      summary: 'Disable a user and end all of their sessions',
      description:
        'Disabling is final. Admins cannot disable themselves, so a ' +
        'tenant always keeps an admin who can act.',
      tags: ['users'],
      access: 'admin',
      request: { params: userIdSchema },
      responses: { 204: { description: 'The user is disabled' } },
      errors: [404, 409, 503],
      handle: async ({ params, principal, ctx }) => {
        refuseSelf(principal, params.id);
        const change = await users.disable(
          requester(principal, ctx),
          params.id,
        );
        await identity.applied(change.position);

        return { status: 204 };
      },
    }),
  ];
}

type Change = Awaited<ReturnType<IdentityServices['users']['create']>>;

function requester(principal: Principal, ctx: Koa.Context) {
  return { tenantId: principal.tenantId, requestId: apiState(ctx).requestId };
}

/** Keeps an admin from locking themselves, and maybe everyone, out. */
function refuseSelf(principal: Principal, userId: string): void {
  if (principal.userId === userId) {
    throw new DomainError(
      'cannot_change_self',
      'conflict',
      'Admins cannot change or disable their own account',
    );
  }
}

function notFound(): DomainError {
  return new DomainError('user_not_found', 'not_found', 'No such user');
}

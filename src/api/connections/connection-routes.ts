import type Koa from 'koa';

import type { Requester } from '../../commands/identity/identity-context.js';
import { DomainError } from '../../domain/domain-error.js';
import { apiState } from '../api-state.js';
import { defineRoute } from '../route-definition.js';
import type { Principal, RouteDefinition } from '../route-definition.js';
import {
  connectionChangeSchema,
  connectionIdSchema,
  connectionListQuerySchema,
  connectionPageSchema,
  connectionSchema,
  connectionView,
  createdConnectionSchema,
  newConnectionSchema,
  syncStartedSchema,
  webhookSecretSchema,
} from './connection-schemas.js';
import type { ConnectionServices } from './connection-services.js';

/** An admin's management of the connections to the tenant's tools. */
export function connectionRoutes(
  services: ConnectionServices,
): RouteDefinition[] {
  const { administration, directory } = services;

  /** The connection as the read model shows it once it has the write. */
  async function shown(tenantId: string, connectionId: string) {
    const doc = await directory.connection(tenantId, connectionId);
    if (!doc) throw notFound();
    const sync = await services.ledger.state(tenantId, connectionId);

    return connectionView(doc, sync, services.webhookUrl(connectionId));
  }

  return [
    defineRoute({
      method: 'post',
      path: '/v1/connections',
      operationId: 'createConnection',
      summary: 'Connect a Jira site',
      description:
        'The site is tested first (GET /rest/api/3/myself on Jira Cloud, ' +
        '/rest/api/2/myself on Server and Data Center); a failed test ' +
        'stores nothing and answers 422 with the reason. The webhook ' +
        'secret is shown in this answer only.',
      tags: ['connections'],
      access: 'admin',
      request: { body: newConnectionSchema },
      responses: {
        201: { description: 'The connection', schema: createdConnectionSchema },
      },
      errors: [422, 503],
      handle: async ({ body, principal, ctx }) => {
        const created = await administration.create(
          requester(principal, ctx),
          body,
        );
        await services.applied(created.position);
        const view = await shown(principal.tenantId, created.connectionId);

        return {
          status: 201,
          body: {
            ...view,
            webhook: { ...view.webhook, secret: created.webhookSecret },
            account: { displayName: created.account.displayName },
          },
        };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/v1/connections',
      operationId: 'listConnections',
      summary: 'List the connections of this tenant',
      tags: ['connections'],
      access: 'admin',
      request: { query: connectionListQuerySchema },
      responses: {
        200: { description: 'A page', schema: connectionPageSchema },
      },
      errors: [],
      handle: async ({ query, principal }) => {
        const page = await directory.list(principal.tenantId, query);
        const items = await Promise.all(
          page.items.map((doc) => shown(principal.tenantId, doc._id)),
        );

        return { status: 200, body: { ...page, items } };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/v1/connections/:id',
      operationId: 'getConnection',
      summary: 'One connection, with the state of its sync',
      tags: ['connections'],
      access: 'admin',
      request: { params: connectionIdSchema },
      responses: {
        200: { description: 'The connection', schema: connectionSchema },
      },
      errors: [404],
      handle: async ({ params, principal }) => ({
        status: 200,
        body: await shown(principal.tenantId, params.id),
      }),
    }),

    defineRoute({
      method: 'patch',
      path: '/v1/connections/:id',
      operationId: 'changeConnection',
      summary: 'Rename a connection, or replace its credentials or CA',
      description:
        'New credentials or a new CA are tested as at creation, and ' +
        'refused with 422 when the test fails. A null CA removes it.',
      tags: ['connections'],
      access: 'admin',
      request: { params: connectionIdSchema, body: connectionChangeSchema },
      responses: {
        200: { description: 'The connection', schema: connectionSchema },
      },
      errors: [404, 409, 422, 503],
      handle: async ({ params, body, principal, ctx }) => {
        const change = await administration.change(
          requester(principal, ctx),
          params.id,
          body,
        );
        await services.applied(change.position);

        return {
          status: 200,
          body: await shown(principal.tenantId, params.id),
        };
      },
    }),

    defineRoute({
      method: 'delete',
      path: '/v1/connections/:id',
      operationId: 'disableConnection',
      summary: 'Disable a connection',
      description:
        'Disabling is final: the connection no longer syncs, and its ' +
        'webhook deliveries are refused. What it collected stays.',
      tags: ['connections'],
      access: 'admin',
      request: { params: connectionIdSchema },
      responses: { 204: { description: 'The connection is disabled' } },
      errors: [404, 503],
      handle: async ({ params, principal, ctx }) => {
        const change = await administration.disable(
          requester(principal, ctx),
          params.id,
        );
        await services.applied(change.position);

        return { status: 204 };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/v1/connections/:id/sync',
      operationId: 'startSync',
      summary: 'Start an incremental sync of a connection',
      description:
        'Answers at once; the progress shows on the connection. One sync ' +
        'runs per connection at a time: 409 while one is running.',
      tags: ['connections'],
      access: 'admin',
      request: { params: connectionIdSchema },
      responses: {
        202: { description: 'The sync started', schema: syncStartedSchema },
      },
      errors: [404, 409],
      handle: async ({ params, principal }) => {
        const started = await services.syncs.start(
          principal.tenantId,
          params.id,
          'admin',
        );
        if (started.kind === 'busy') {
          throw new DomainError(
            'sync_running',
            'conflict',
            'A sync of this connection is already running',
          );
        }

        return {
          status: 202,
          body: { syncId: started.syncId, state: 'running' },
        };
      },
    }),

    defineRoute({
      method: 'post',
      path: '/v1/connections/:id/webhook-secret',
      operationId: 'rotateWebhookSecret',
      summary: 'Replace the webhook secret of a connection',
      description:
        'The new secret is shown in this answer only. Deliveries signed ' +
        'with the one it replaces are accepted for 24 hours more, while ' +
        "Jira's webhook settings are updated.",
      tags: ['connections'],
      access: 'admin',
      request: { params: connectionIdSchema },
      responses: {
        200: { description: 'The new secret', schema: webhookSecretSchema },
      },
      errors: [404, 409, 503],
      handle: async ({ params, principal, ctx }) => {
        const rotated = await administration.rotateWebhookSecret(
          requester(principal, ctx),
          params.id,
        );
        await services.applied(rotated.position);

        return {
          status: 200,
          body: {
            secret: rotated.webhookSecret,
            previousValidUntil: rotated.previousValidUntil,
          },
        };
      },
    }),
  ];
}

function requester(principal: Principal, ctx: Koa.Context): Requester {
  return { tenantId: principal.tenantId, requestId: apiState(ctx).requestId };
}

function notFound(): DomainError {
  return new DomainError(
    'connection_not_found',
    'not_found',
    'No such connection',
  );
}

import type { Principal, RouteDefinition } from '../route-definition.js';
import { defineRoute } from '../route-definition.js';
import { apiState } from '../api-state.js';
import type Koa from 'koa';
import {
  accountSettingsBodySchema,
  accountSettingsSchema,
  statusMappingBodySchema,
  statusMappingSchema,
} from './analytics-schemas.js';
import type { AnalyticsServices } from './analytics-services.js';

const recomputationNote =
  'A change recomputes the tenant’s analytics from the event log, as a ' +
  'new generation; queries answer with the old numbers until it is done. ' +
  'The answer, and the GET, show how far it has got.';

/** The definitions analytics follow: status mapping and time zone. */
export function settingsRoutes(services: AnalyticsServices): RouteDefinition[] {
  const { queries, settings } = services;

  const mappingView = async (tenantId: string) => {
    const { statuses, recomputation } = await queries.settings(tenantId);
    return { statuses, recomputation };
  };
  const accountView = async (tenantId: string) => {
    const { timeZone, recomputation } = await queries.settings(tenantId);
    return { timeZone, recomputation };
  };

  return [
    defineRoute({
      method: 'get',
      path: '/v1/analytics/status-mapping',
      operationId: 'statusMapping',
      summary: 'How status names map to stages, and the recomputation',
      description:
        'Statuses the mapping leaves out take their stage from their ' +
        'Jira status category: new is todo, indeterminate in_progress, ' +
        'done done.',
      tags: ['analytics'],
      readsTenantModels: true,
      access: 'authenticated',
      responses: {
        200: { description: 'The mapping', schema: statusMappingSchema },
      },
      errors: [],
      handle: async ({ principal }) => ({
        status: 200,
        body: await mappingView(principal.tenantId),
      }),
    }),

    defineRoute({
      method: 'put',
      path: '/v1/analytics/status-mapping',
      operationId: 'setStatusMapping',
      summary: 'Replace how status names map to stages',
      description:
        `Names match without regard to case; each at most once. ` +
        `An empty list restores Jira's categories. ${recomputationNote}`,
      tags: ['analytics'],
      readsTenantModels: true,
      access: 'admin',
      request: { body: statusMappingBodySchema },
      responses: {
        200: { description: 'The mapping', schema: statusMappingSchema },
      },
      errors: [],
      handle: async ({ body, principal, ctx }) => {
        const change = await settings.setStatusMapping(
          requester(principal, ctx),
          body.statuses,
        );
        await services.applied(change.position);

        return { status: 200, body: await mappingView(principal.tenantId) };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/v1/account/settings',
      operationId: 'accountSettings',
      summary: "The tenant's settings: its time zone",
      description: 'Days and weeks of the analytics are counted in it.',
      tags: ['account'],
      readsTenantModels: true,
      access: 'authenticated',
      responses: {
        200: { description: 'The settings', schema: accountSettingsSchema },
      },
      errors: [],
      handle: async ({ principal }) => ({
        status: 200,
        body: await accountView(principal.tenantId),
      }),
    }),

    defineRoute({
      method: 'put',
      path: '/v1/account/settings',
      operationId: 'setAccountSettings',
      summary: "Set the tenant's time zone",
      description: recomputationNote,
      tags: ['account'],
      readsTenantModels: true,
      access: 'admin',
      request: { body: accountSettingsBodySchema },
      responses: {
        200: { description: 'The settings', schema: accountSettingsSchema },
      },
      errors: [],
      handle: async ({ body, principal, ctx }) => {
        const change = await settings.setTimeZone(
          requester(principal, ctx),
          body.timeZone,
        );
        await services.applied(change.position);

        return { status: 200, body: await accountView(principal.tenantId) };
      },
    }),
  ];
}

function requester(principal: Principal, ctx: Koa.Context) {
  return { tenantId: principal.tenantId, requestId: apiState(ctx).requestId };
}

import type { z } from 'zod';

import type { FlowAnalytics } from '../../projections/analytics/flow-analytics.js';
import { defineRoute } from '../route-definition.js';
import type { RouteDefinition, RouteResponse } from '../route-definition.js';
import { analyticsRequest } from './analytics-request.js';
import {
  agingSchema,
  analyticsQuerySchema,
  cfdSchema,
  createdVsResolvedSchema,
  durationSchema,
  nearestRankNote,
  seriesQuerySchema,
  throughputSchema,
  timeInStatusSchema,
  wipSchema,
} from './analytics-schemas.js';
import type { AnalyticsServices } from './analytics-services.js';
import { settingsRoutes } from './settings-routes.js';

type SeriesQuery = 'throughput' | 'createdVsResolved' | 'wip' | 'cfd';

const filtersNote =
  'Scoped to the caller’s tenant. `from` and `to` are days in the ' +
  'tenant’s time zone, both included, at most 2 years apart; a bad date, ' +
  '`from` after `to` or a longer range is refused with 400.';

/** Every analytics route: the queries, and the settings they follow. */
export function analyticsRoutes(
  services: AnalyticsServices,
): RouteDefinition[] {
  return [...queryRoutes(services), ...settingsRoutes(services)];
}

function queryRoutes(services: AnalyticsServices): RouteDefinition[] {
  return [
    seriesRoute(services, {
      path: 'throughput',
      operationId: 'throughput',
      summary: 'Items finished per interval',
      schema: throughputSchema,
      query: 'throughput',
    }),
    seriesRoute(services, {
      path: 'created-vs-resolved',
      operationId: 'createdVsResolved',
      summary: 'Items created and resolved per interval',
      schema: createdVsResolvedSchema,
      query: 'createdVsResolved',
    }),
    seriesRoute(services, {
      path: 'wip',
      operationId: 'workInProgress',
      summary: 'Items in progress at the end of each interval',
      schema: wipSchema,
      query: 'wip',
    }),
    seriesRoute(services, {
      path: 'cfd',
      operationId: 'cumulativeFlow',
      summary: 'Items in each stage at the end of each interval',
      schema: cfdSchema,
      query: 'cfd',
    }),
    durationRoute(services, 'cycle-time', 'cycleTime', 'Cycle times'),
    durationRoute(services, 'lead-time', 'leadTime', 'Lead times'),
    defineRoute({
      method: 'get',
      path: '/v1/analytics/time-in-status',
      operationId: 'timeInStatus',
      summary: 'Time spent in each status by the items finished in range',
      description: `${filtersNote} ${nearestRankNote}`,
      tags: ['analytics'],
      readsTenantModels: true,
      access: 'authenticated',
      request: { query: analyticsQuerySchema },
      responses: ok(timeInStatusSchema),
      errors: [],
      handle: async ({ query, principal }) => {
        const request = await analyticsRequest(
          services,
          principal.tenantId,
          query,
        );
        const { view, filter, range } = request;
        const statuses = await services.queries.timeInStatus(
          view,
          filter,
          range,
        );

        return { status: 200, body: { ...request.described, statuses } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/analytics/aging',
      operationId: 'aging',
      summary: 'Items in progress now, with the cycle-time percentiles',
      description:
        `${filtersNote} The items are the oldest in progress, at most ` +
        `${services.queries.agingLimit}; the percentiles are those of the ` +
        `items finished in range. ${nearestRankNote}`,
      tags: ['analytics'],
      readsTenantModels: true,
      access: 'authenticated',
      request: { query: analyticsQuerySchema },
      responses: ok(agingSchema),
      errors: [],
      handle: async ({ query, principal }) => {
        const request = await analyticsRequest(
          services,
          principal.tenantId,
          query,
        );
        const { view, filter, range } = request;
        const aging = await services.queries.aging(
          view,
          filter,
          range,
          services.now(),
        );

        return { status: 200, body: { ...request.described, ...aging } };
      },
    }),
  ];
}

function seriesRoute(
  services: AnalyticsServices,
  route: {
    path: string;
    operationId: string;
    summary: string;
    schema: z.ZodType;
    query: SeriesQuery;
  },
): RouteDefinition {
  return defineRoute({
    method: 'get',
    path: `/v1/analytics/${route.path}`,
    operationId: route.operationId,
    summary: route.summary,
    description: `${filtersNote} A series by week is widened to whole weeks.`,
    tags: ['analytics'],
    readsTenantModels: true,
    access: 'authenticated',
    request: { query: seriesQuerySchema },
    responses: ok(route.schema),
    errors: [],
    handle: async ({ query, principal }) => {
      const request = await analyticsRequest(
        services,
        principal.tenantId,
        query,
      );
      const { view, filter, range } = request;
      const series = await seriesOf(services.queries, route.query)(
        view,
        filter,
        range,
        query.interval,
      );

      return {
        status: 200,
        body: { ...request.described, interval: query.interval, series },
      };
    },
  });
}

function seriesOf(queries: FlowAnalytics, query: SeriesQuery) {
  return queries[query].bind(queries) as FlowAnalytics['throughput'];
}

function durationRoute(
  services: AnalyticsServices,
  path: string,
  operationId: 'cycleTime' | 'leadTime',
  summary: string,
): RouteDefinition {
  return defineRoute({
    method: 'get',
    path: `/v1/analytics/${path}`,
    operationId,
    summary: `${summary} of the items finished in range`,
    description:
      `${filtersNote} count, mean and percentiles cover every item ` +
      `finished in range; points, for a scatter plot, hold at most ` +
      `${services.queries.pointsLimit} of them, the latest finished. ` +
      nearestRankNote,
    tags: ['analytics'],
    readsTenantModels: true,
    access: 'authenticated',
    request: { query: analyticsQuerySchema },
    responses: ok(durationSchema),
    errors: [],
    handle: async ({ query, principal }) => {
      const request = await analyticsRequest(
        services,
        principal.tenantId,
        query,
      );
      const { view, filter, range } = request;
      const summary = await services.queries[operationId](view, filter, range);

      return { status: 200, body: { ...request.described, ...summary } };
    },
  });
}

function ok(schema: z.ZodType): Record<number, RouteResponse> {
  return { 200: { description: 'The analytics', schema } };
}

import Router from '@koa/router';
import Koa from 'koa';

import type { Logger } from '../ports/logger.js';
import { openApiDocument } from './openapi-document.js';
import type { OpenApiDocument } from './openapi-document.js';
import { problemResponses } from './problem-responses.js';
import { readinessRoute } from './readiness.js';
import type { ReadinessProbe } from './readiness.js';
import { refusingAuthenticator } from './refusing-authenticator.js';
import { requestContext } from './request-context.js';
import { checkRoutes } from './route-checks.js';
import type { Authenticator, RouteDefinition } from './route-definition.js';
import { mountRoute, unmatchedRoute } from './route-mounting.js';
import { healthRoute, openApiRoute } from './system-routes.js';
import { forwardedHttpsOnly, securityHeaders } from './transport-security.js';
import type { Transport } from './transport-security.js';

export interface AppDependencies {
  logger: Logger;
  /** The API's routes; the shell adds the probes and the OpenAPI document. */
  routes?: readonly RouteDefinition[];
  /** Runs before every route that is not public. Refuses all by default. */
  authenticator?: Authenticator;
  /** What `/readyz` checks: the event store and the read store. */
  readiness?: readonly ReadinessProbe[];
  /** How long each readiness probe may take. */
  readinessTimeoutMs?: number;
  bodyLimitBytes?: number;
  transport?: Transport;
  /** Seconds until a tenant's read models can be read; 0 when now. */
  tenantAvailability?: (tenantId: string) => Promise<number>;
}

/** The application with the parts tests and tools look into. */
export interface Api {
  app: Koa;
  router: Router;
  document: OpenApiDocument;
}

const probePaths = new Set(['/healthz', '/readyz']);

/**
 * The HTTP application: request ids and logs, security headers, problem
 * answers, and every route mounted with its access, its validation and
 * its place in the OpenAPI document.
 */
export function createApp(dependencies: AppDependencies): Koa {
  return buildApi(dependencies).app;
}

/** `createApp`, keeping the router and the document at hand. */
export function buildApi({
  logger,
  routes = [],
  authenticator = refusingAuthenticator,
  readiness = [],
  readinessTimeoutMs = 1000,
  bodyLimitBytes = 100 * 1024,
  transport = { tls: false, trustProxy: false },
  tenantAvailability,
}: AppDependencies): Api {
  const servedRoutes = [
    healthRoute,
    readinessRoute(readiness, readinessTimeoutMs),
    openApiRoute(() => document),
    ...routes,
  ];
  checkRoutes(servedRoutes);
  // Built once, at start-up, so a route the generator cannot describe
  // stops the service before it listens.
  const document = openApiDocument(servedRoutes);

  const router = new Router();
  for (const route of servedRoutes) {
    mountRoute(router, route, {
      authenticator,
      bodyLimitBytes,
      ...(tenantAvailability ? { tenantAvailability } : {}),
    });
  }

  const app = new Koa({ proxy: transport.trustProxy });
  app.on('error', (error: unknown) => {
    logger.error({ err: error }, 'unhandled HTTP error');
  });
  app.use(requestContext(logger));
  app.use(securityHeaders(transport));
  app.use(problemResponses());
  if (transport.trustProxy) app.use(forwardedHttpsOnly(probePaths));
  app.use(router.routes());
  app.use(unmatchedRoute());

  return { app, router, document };
}

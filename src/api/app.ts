import Router from '@koa/router';
import Koa from 'koa';

import type { Logger } from '../ports/logger.js';

export interface AppDependencies {
  logger: Logger;
}

/**
 * The HTTP application. For now it only answers whether the process is
 * up; the authenticated API is built on this shell.
 */
export function createApp({ logger }: AppDependencies): Koa {
  const app = new Koa();
  const router = new Router();

  /** Liveness: the process is up and serving requests. */
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  app.on('error', (error: unknown) => {
    logger.error({ err: error }, 'unhandled HTTP error');
  });
  app.use(router.routes());
  app.use(router.allowedMethods());

  return app;
}

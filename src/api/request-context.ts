import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import type Koa from 'koa';

import type { Logger } from '../ports/logger.js';
import { apiState } from './api-state.js';

/**
 * An incoming id we pass on: a plain token, so it cannot forge log lines
 * or smuggle anything into a header.
 */
const saneRequestId = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives each request an id (the caller's, when it is sane), answers it in
 * `X-Request-Id`, and logs the request once it is answered. The log line
 * holds the route's template, never the raw path or query string, which
 * may carry customer content; bodies and headers are never logged.
 */
export function requestContext(logger: Logger): Koa.Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    const requestId = requestIdOf(ctx.get('X-Request-Id'));
    const state = apiState(ctx);
    state.requestId = requestId;
    state.logger = logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);

    try {
      await next();
    } finally {
      state.logger.info(
        {
          method: ctx.method,
          route: state.route,
          status: ctx.status,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        },
        'request answered',
      );
    }
  };
}

function requestIdOf(incoming: string): string {
  return saneRequestId.test(incoming) ? incoming : randomUUID();
}

import type Koa from 'koa';

import { apiState } from './api-state.js';
import { problemFor } from './problem-mapping.js';

/**
 * The one place errors become answers: every error thrown below it is
 * answered as `application/problem+json`. Headers set below it are dropped
 * first, so a half-built answer does not leak into the problem; the ones
 * set above it (request id, security headers) stay.
 */
export function problemResponses(): Koa.Middleware {
  return async (ctx, next) => {
    const headersAbove = new Set(headerNames(ctx));

    try {
      await next();
    } catch (error) {
      // Once the answer has started, only Koa can end it (it logs it too).
      if (ctx.headerSent) throw error;

      answerWithProblem(ctx, error, headersAbove);
    }
  };
}

function answerWithProblem(
  ctx: Koa.Context,
  error: unknown,
  headersAbove: Set<string>,
): void {
  const state = apiState(ctx);
  const answer = problemFor(error, state.requestId);

  if (answer.isFailure) {
    state.logger.error({ err: error }, 'request failed');
  }

  for (const name of headerNames(ctx)) {
    if (!headersAbove.has(name)) ctx.remove(name);
  }
  ctx.set(answer.headers);
  // A refusal says something about this caller at this moment only.
  ctx.set('Cache-Control', 'no-store');
  ctx.status = answer.body.status;
  ctx.type = 'application/problem+json';
  ctx.body = answer.body;
}

function headerNames(ctx: Koa.Context): string[] {
  return ctx.res.getHeaderNames();
}

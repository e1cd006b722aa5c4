import type Koa from 'koa';

import type { Logger } from '../ports/logger.js';
import type { Principal } from './route-definition.js';

/** What the shell keeps on `ctx.state` for the rest of a request. */
export interface ApiState {
  requestId: string;
  /** A child of the service logger that carries the request id. */
  logger: Logger;
  /** The path template of the matched route, for the request log. */
  route?: string;
  /** Set by the authenticator on routes that are not public. */
  principal?: Principal;
  /** The exact bytes of a JSON body, once read. */
  rawBody?: Buffer;
}

/** The request's state, typed. */
export function apiState(ctx: Koa.Context): ApiState {
  return ctx.state as ApiState;
}

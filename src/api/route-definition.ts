import type Koa from 'koa';
import type { z } from 'zod';

/**
 * Who may call a route: anyone, any signed-in user of a tenant, or its
 * admins only. An admin can do everything an analyst can.
 */
export type Access = 'public' | 'authenticated' | 'admin';

export type Role = 'admin' | 'analyst';

/** The signed-in caller, as the authenticator found it in the token. */
export interface Principal {
  tenantId: string;
  userId: string;
  username: string;
  role: Role;
  sessionId: string;
}

/**
 * Supplied by the identity code. `authenticate` verifies the bearer token
 * (koa-jwt inside), sets `ctx.state.principal` and calls `next`, or throws
 * `UnauthenticatedError`. It runs before every route that is not public.
 */
export interface Authenticator {
  authenticate: Koa.Middleware;
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Path parameters and query strings are objects of named strings. */
export type ObjectSchema = z.ZodObject<z.ZodRawShape, z.core.$ZodObjectConfig>;

/** What a route declares when it takes no parameters or no query. */
export type NoFieldsSchema = z.ZodObject<Record<string, never>, z.core.$strict>;

/** One documented answer of a route. */
export interface RouteResponse {
  description: string;
  /** The JSON body; absent when the answer has none (204, for instance). */
  schema?: z.ZodType;
  headers?: ObjectSchema;
}

/** What the shell hands a route's handler, validated. */
export interface RouteInput<Params, Query, Body, Caller> {
  params: Params;
  query: Query;
  body: Body;
  /** The exact bytes of the body, for signatures (webhooks). */
  rawBody: Buffer | undefined;
  /**
   * Parses and validates the body. A route that defers parsing calls it
   * once it has checked the raw bytes; its `body` is undefined until
   * then. Throws the shell's own 400 for malformed or invalid bodies.
   */
  parseBody(): Body;
  principal: Caller;
  ctx: Koa.Context;
}

/** What a handler answers. Errors are thrown, as typed errors. */
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A public route may have a caller; every other route always has one. */
export type CallerFor<A extends Access> = A extends 'public'
  ? Principal | undefined
  : Principal;

/**
 * One route of the API, declared once: the shell validates its input with
 * these schemas, enforces its access, answers its errors as problems, and
 * documents it in the OpenAPI document from the same schemas.
 *
 * Object schemas must be strict (`z.strictObject`), so that a misspelt
 * field is refused instead of ignored; the shell checks this at start-up.
 * Only a body in another system's format may be loose.
 */
export interface RouteDefinition<
  ParamsSchema extends ObjectSchema = ObjectSchema,
  QuerySchema extends ObjectSchema = ObjectSchema,
  BodySchema extends z.ZodType = z.ZodType,
  RouteAccess extends Access = Access,
> {
  method: HttpMethod;
  /** In koa-router syntax, with `:name` parameters: `/v1/users/:id`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  access: RouteAccess;
  /**
   * The route answers from the tenant's read models, so it waits out a
   * restore of them: 503 with Retry-After, for that tenant only.
   */
  readsTenantModels?: boolean;
  request?: {
    params?: ParamsSchema;
    query?: QuerySchema;
    /** A JSON body; a route without one reads no body. */
    body?: BodySchema;
    /** Overrides the configured body limit for this route. */
    bodyLimitBytes?: number;
    /**
     * Reads the body without parsing it, so the handler can check a
     * signature over the exact bytes first (`parseBody`).
     */
    deferBodyParsing?: boolean;
    /**
     * The body is another system's format (a webhook): fields it has and
     * we do not know are dropped, not refused, so it need not be strict.
     */
    externalBody?: boolean;
  };
  /** The answers that are not problems, by status. */
  responses: Record<number, RouteResponse>;
  /**
   * The problem statuses the route itself can answer. The shell adds the
   * ones it answers: 400 and 500 always, 401 beyond public routes, 403 on
   * admin routes, 413 and 415 when there is a body.
   */
  errors: number[];
  handle(
    input: RouteInput<
      z.output<ParamsSchema>,
      z.output<QuerySchema>,
      z.output<BodySchema>,
      CallerFor<RouteAccess>
    >,
  ): Promise<RouteResult>;
}

/**
 * Declares a route. It only checks and infers the types: the handler's
 * params, query and body come from the schemas, and its principal is
 * always present unless the route is public.
 */
export function defineRoute<
  ParamsSchema extends ObjectSchema = NoFieldsSchema,
  QuerySchema extends ObjectSchema = NoFieldsSchema,
  BodySchema extends z.ZodType = z.ZodUndefined,
  RouteAccess extends Access = Access,
>(
  definition: RouteDefinition<
    ParamsSchema,
    QuerySchema,
    BodySchema,
    RouteAccess
  >,
): RouteDefinition<ParamsSchema, QuerySchema, BodySchema, RouteAccess> {
  return definition;
}

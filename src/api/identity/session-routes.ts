import { HasherBusyError } from '../../crypto/argon2-password-hasher.js';
import { TooManyRequestsError, UnauthenticatedError } from '../api-errors.js';
import { apiState } from '../api-state.js';
import { defineRoute } from '../route-definition.js';
import type { RouteDefinition } from '../route-definition.js';
import {
  loginSchema,
  meSchema,
  sessionTokenSchema,
} from './identity-schemas.js';
import type { IdentityServices } from './identity-services.js';

/** Log in, log out, and who am I. */
export function sessionRoutes(identity: IdentityServices): RouteDefinition[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/sessions',
      operationId: 'login',
      summary: 'Log in with a username and password',
      description:
        'Every refusal looks the same, whether or not the tenant or user ' +
        'exists. Five failures for one account within 15 minutes lock it ' +
        'until the window passes (429 with Retry-After).',
      tags: ['sessions'],
      access: 'public',
      request: { body: loginSchema },
      responses: {
        201: { description: 'A session token', schema: sessionTokenSchema },
      },
      errors: [401, 429, 503],
      handle: async ({ body, ctx }) => {
        const address = ctx.ip;
        const now = identity.now();
        const wait = identity.throttle.retryAfterSeconds(address, now);
        if (wait > 0) throw new TooManyRequestsError(wait);

        const outcome = await attemptLogin(identity, {
          ...body,
          address,
          requestId: apiState(ctx).requestId,
        });
        if (outcome.kind === 'locked') {
          const seconds = (outcome.until.getTime() - now.getTime()) / 1000;
          throw new TooManyRequestsError(seconds);
        }
        if (outcome.kind === 'refused') {
          identity.throttle.recordFailure(address, now);
          throw new UnauthenticatedError('Invalid credentials.');
        }

        await identity.applied(outcome.position);
        const { session } = outcome;
        return {
          status: 201,
          body: {
            token: identity.tokens.sign(session),
            expiresAt: session.expiresAt.toISOString(),
          },
        };
      },
    }),

    defineRoute({
      method: 'delete',
      path: '/v1/sessions/current',
      operationId: 'logout',
      summary: 'Log out: the token of this session is refused from now on',
      tags: ['sessions'],
      access: 'authenticated',
      responses: { 204: { description: 'The session has ended' } },
      errors: [503],
      handle: async ({ principal, ctx }) => {
        const requester = {
          tenantId: principal.tenantId,
          requestId: apiState(ctx).requestId,
        };

        const position = await identity.sessions.end(
          requester,
          principal.sessionId,
        );
        await identity.applied(position);

        return { status: 204 };
      },
    }),

    defineRoute({
      method: 'get',
      path: '/v1/me',
      operationId: 'me',
      summary: 'The signed-in user',
      tags: ['sessions'],
      access: 'authenticated',
      responses: { 200: { description: 'The user', schema: meSchema } },
      errors: [],
      handle: async ({ principal }) => {
        const tenant = await identity.directory.tenant(principal.tenantId);

        return {
          status: 200,
          body: {
            tenant: tenant?.slug ?? '',
            userId: principal.userId,
            username: principal.username,
            role: principal.role,
          },
        };
      },
    }),
  ];
}

/** A flood of logins waits for the hasher; past its queue, come back. */
async function attemptLogin(
  identity: IdentityServices,
  credentials: Parameters<IdentityServices['login']['attempt']>[0],
) {
  try {
    return await identity.login.attempt(credentials);
  } catch (error) {
    if (!(error instanceof HasherBusyError)) throw error;
    throw new TooManyRequestsError(error.retryAfterSeconds);
  }
}

import type { KeyObject } from 'node:crypto';

import type Koa from 'koa';
import koaJwt from 'koa-jwt';

import { TenantKeysDeletedError } from '../../ports/errors.js';
import type { IdentityDirectory } from '../../projections/identity/identity-directory.js';
import { UnauthenticatedError } from '../api-errors.js';
import type { Authenticator, Principal } from '../route-definition.js';
import type { SessionClaims } from './session-tokens.js';
import {
  sessionClaimsSchema,
  tokenAlgorithm,
  tokenAudience,
  tokenIssuer,
} from './session-tokens.js';
import type { SessionTokens } from './session-tokens.js';

/**
 * Lets a request through when its bearer token is a valid session token
 * of a session that is still open, of a user who is still enabled. The
 * role comes from the user as it is now, not from the token, so a
 * demotion takes effect at once.
 */
export function sessionAuthenticator(
  tokens: SessionTokens,
  directory: IdentityDirectory,
): Authenticator {
  const verifyToken = koaJwt({
    // koa-jwt hands over the unverified claims to choose the key; a token
    // without a tenant gets no key and is refused.
    secret: keyLoader((payload) => tokens.keyFor(tenantOf(payload))),
    algorithms: [tokenAlgorithm],
    issuer: tokenIssuer,
    audience: tokenAudience,
    key: 'tokenClaims',
  });

  const authenticate: Koa.Middleware = async (ctx, next) => {
    let verified = false;

    try {
      await verifyToken(ctx, async () => {
        verified = true;
        ctx.state.principal = await principalOf(ctx.state.tokenClaims);
        await next();
      });
    } catch (error) {
      // koa-jwt throws its own 401 before calling on; everything after
      // that belongs to the route.
      if (verified) throw error;
      throw new UnauthenticatedError();
    }
  };

  async function principalOf(claimed: unknown): Promise<Principal> {
    const claims = sessionClaimsSchema.safeParse(claimed);
    if (!claims.success) throw new UnauthenticatedError();

    return openSession(claims.data);
  }

  async function openSession(claims: SessionClaims): Promise<Principal> {
    const [session, account] = await Promise.all([
      directory.session(claims.tid, claims.sid),
      directory.accountById(claims.tid, claims.sub),
    ]);
    const open =
      session?.status === 'active' &&
      session.userId === claims.sub &&
      account?.status === 'active';
    if (!open || !account) {
      await refuseDeletedTenant(claims.tid);
      throw new UnauthenticatedError('The session has ended.');
    }

    return {
      tenantId: claims.tid,
      userId: account.userId,
      username: account.username,
      role: account.role,
      sessionId: claims.sid,
    };
  }

  /**
   * A deleted tenant's sessions are gone with it; its callers learn that
   * the tenant is, rather than that their session ended. Reading a tenant
   * whose keys are deleted throws TenantKeysDeletedError itself.
   */
  async function refuseDeletedTenant(tenantId: string): Promise<void> {
    const tenant = await directory.tenant(tenantId);
    if (tenant?.status === 'deleted') {
      throw new TenantKeysDeletedError(tenantId);
    }
  }

  return { authenticate };
}

/**
 * koa-jwt passes the key on to jsonwebtoken as it is, and jsonwebtoken
 * takes a KeyObject; koa-jwt's types only know strings and Buffers.
 */
function keyLoader(load: (payload: unknown) => KeyObject): koaJwt.SecretLoader {
  return async (_header: unknown, payload: unknown) =>
    load(payload) as unknown as koaJwt.Secret;
}

function tenantOf(payload: unknown): string {
  const tid = (payload as { tid?: unknown } | null)?.tid;
  if (typeof tid !== 'string' || tid === '') {
    throw new UnauthenticatedError();
  }

  return tid;
}

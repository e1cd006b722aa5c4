import { createHmac, createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import jwt from 'jsonwebtoken';
import { z } from 'zod';

import type { StartedSession } from '../../commands/identity/login.js';

export const tokenIssuer = 'hakkiri';
export const tokenAudience = 'hakkiri-api';
/** The one algorithm accepted; `none` and every other are refused. */
export const tokenAlgorithm = 'HS256';

/** The claims of a session token, checked after the signature. */
export const sessionClaimsSchema = z.object({
  sub: z.string().min(1),
  tid: z.string().min(1),
  sid: z.string().min(1),
  role: z.enum(['admin', 'analyst']),
  exp: z.number(),
});

export type SessionClaims = z.infer<typeof sessionClaimsSchema>;

/**
 * Signs and names the keys of session tokens. Each tenant's tokens are
 * signed with a key of its own, derived from the service secret, so a
 * token signed for one tenant never verifies as another's.
 */
export class SessionTokens {
  constructor(private readonly secret: Buffer) {}

  /**
   * A KeyObject, not bytes: given bytes, jsonwebtoken first tries to parse
   * them as a public key, and that failed attempt took about 40% of the
   * time of an authenticated request. Not cached: the tenant comes from a
   * token not yet verified, and any caller could fill the cache.
   */
  keyFor(tenantId: string): KeyObject {
    return createSecretKey(
      createHmac('sha256', this.secret)
        .update(`session-token\n${tenantId}`)
        .digest(),
    );
  }

  sign(session: StartedSession): string {
    const claims = {
      tid: session.tenantId,
      sid: session.sessionId,
      role: session.role,
      exp: Math.floor(session.expiresAt.getTime() / 1000),
    };

    return jwt.sign(claims, this.keyFor(session.tenantId), {
      algorithm: tokenAlgorithm,
      issuer: tokenIssuer,
      audience: tokenAudience,
      subject: session.userId,
    });
  }
}

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
  private readonly keys = new Map<string, KeyObject>();

  constructor(
    private readonly secret: Buffer,
    private readonly keptKeys = 1000,
  ) {}

  /**
   * A KeyObject, not bytes: given bytes, jsonwebtoken first tries to parse
   * them as a public key, and that failed attempt took about 40% of the
   * time of an authenticated request. Deriving one took another 7%, so
   * the last few are kept. The tenant comes from a token not yet
   * verified: a caller who names made-up tenants only pushes the real
   * ones out, and they are derived again.
   */
  keyFor(tenantId: string): KeyObject {
    const kept = this.keys.get(tenantId);
    if (kept) return kept;

    const key = createSecretKey(
      createHmac('sha256', this.secret)
        .update(`session-token\n${tenantId}`)
        .digest(),
    );
    if (this.keys.size >= this.keptKeys) {
      this.keys.delete(this.keys.keys().next().value!);
    }
    this.keys.set(tenantId, key);

    return key;
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

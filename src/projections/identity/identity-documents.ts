import type { Role } from '../../domain/identity/user-events.js';
import type { ReadDocument } from '../../ports/read-store.js';

export const tenantsCollection = 'tenants';
export const usersCollection = 'users';
export const sessionsCollection = 'sessions';

/** One tenant, keyed by its id. */
export interface TenantDocument extends ReadDocument {
  tenantId: string;
  slug: string;
  /** The slug's blind index: how login finds the tenant. */
  slugIndex: string;
  displayName: string;
  egressAddresses: string[];
  status: 'active' | 'deleted';
}

/** One user, keyed by its id. */
export interface UserDocument extends ReadDocument {
  tenantId: string;
  username: string;
  /** The username's blind index: finds the user's stream, and login. */
  accountKey: string;
  role: Role;
  status: 'active' | 'disabled';
  passwordHash: string;
  createdAt: string;
}

/** One session, keyed by its id. */
export interface SessionDocument extends ReadDocument {
  tenantId: string;
  userId: string;
  status: 'active' | 'ended';
  expiresAt: string;
}

/**
 * What the identity read models keep encrypted, beside their shapes. The
 * rest is ids, states, times and blind indexes; sessions hold nothing
 * else.
 */
export const identityEncryptedFields: Readonly<
  Record<string, readonly string[]>
> = {
  [tenantsCollection]: [
    'slug',
    'displayName',
  ] satisfies (keyof TenantDocument)[],
  [usersCollection]: [
    'username',
    'passwordHash',
  ] satisfies (keyof UserDocument)[],
};

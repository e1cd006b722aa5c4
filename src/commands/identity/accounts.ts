import type { Role } from '../../domain/identity/user-events.js';
import type { BlindIndex } from '../../ports/blind-index.js';

/** A user as login and administration need to see it. */
export interface Account {
  userId: string;
  tenantId: string;
  username: string;
  accountKey: string;
  role: Role;
  status: 'active' | 'disabled';
  passwordHash: string;
}

/**
 * Finds tenants and accounts. The identity read models answer it; the
 * composition root wires them in, so the write side does not depend on
 * the projections.
 */
export interface AccountDirectory {
  /** Active tenants only: a deleted tenant's slug finds nothing. */
  tenantIdBySlugIndex(slugIndex: string): Promise<string | undefined>;
  accountByKey(
    tenantId: string,
    accountKey: string,
  ): Promise<Account | undefined>;
  accountById(tenantId: string, userId: string): Promise<Account | undefined>;
}

/**
 * The blind index of a username: finds the account at login, and names
 * its streams without putting the username where it would be neither
 * encrypted nor erasable. Usernames are compared without case or
 * surrounding blanks. 128 bits are plenty to keep accounts apart.
 */
export async function accountKey(
  index: BlindIndex,
  tenantId: string,
  username: string,
): Promise<string> {
  const normalized = username.trim().toLowerCase();
  const digest = await index.ofTenantValue(tenantId, 'username', normalized);

  return digest.slice(0, 32);
}

/** Finds a tenant by slug at login, before its own keys are known. */
export function slugIndex(index: BlindIndex, slug: string): Promise<string> {
  return index.ofServiceValue('tenant slug', slug);
}

/** One stream per account, so the store keeps usernames unique. */
export const userStreamName = (tenantId: string, key: string) =>
  `user-${tenantId}-${key}`;

/** Every login attempt for one account name, existing or not. */
export const loginStreamName = (tenantId: string, key: string) =>
  `logins-${tenantId}-${key}`;

export const sessionStreamName = (sessionId: string) => `session-${sessionId}`;

import { createHash } from 'node:crypto';

import type { Role } from '../../domain/identity/user-events.js';

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
  tenantIdBySlug(slug: string): Promise<string | undefined>;
  accountByKey(
    tenantId: string,
    accountKey: string,
  ): Promise<Account | undefined>;
  accountById(tenantId: string, userId: string): Promise<Account | undefined>;
}

/**
 * Names an account's streams without putting the username in a stream
 * name, where it would be neither encrypted nor erasable. Usernames are
 * compared without case or surrounding blanks.
 */
export function accountKey(tenantId: string, username: string): string {
  return createHash('sha256')
    .update(`${tenantId}\n${username.trim().toLowerCase()}`)
    .digest('hex')
    .slice(0, 32);
}

/** One stream per account, so the store keeps usernames unique. */
export const userStreamName = (tenantId: string, key: string) =>
  `user-${tenantId}-${key}`;

/** Every login attempt for one account name, existing or not. */
export const loginStreamName = (tenantId: string, key: string) =>
  `logins-${tenantId}-${key}`;

export const sessionStreamName = (sessionId: string) => `session-${sessionId}`;

import type { Role } from '../../domain/identity/user-events.js';
import type { ReadDocument } from '../../ports/read-store.js';

export const tenantsCollection = 'tenants';
export const usersCollection = 'users';
export const sessionsCollection = 'sessions';

/** One tenant, keyed by its id. */
export interface TenantDocument extends ReadDocument {
  slug: string;
  displayName: string;
  egressAddresses: string[];
}

/** One user, keyed by its id. */
export interface UserDocument extends ReadDocument {
  tenantId: string;
  username: string;
  /** Finds the user's stream, and the user at login. */
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

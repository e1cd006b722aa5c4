import { pagesOf } from '../../ports/read-pages.js';
import type { Page, ReadStore } from '../../ports/read-store.js';
import type {
  SessionDocument,
  TenantDocument,
  UserDocument,
} from './identity-documents.js';
import {
  sessionsCollection,
  tenantsCollection,
  usersCollection,
} from './identity-documents.js';

/** A user as the identity read model knows it, password hash included. */
export interface AccountView {
  userId: string;
  tenantId: string;
  username: string;
  accountKey: string;
  role: UserDocument['role'];
  status: UserDocument['status'];
  passwordHash: string;
  createdAt: string;
}

export interface UserListOptions {
  limit: number;
  cursor?: string;
}

/**
 * Queries over the identity read models. Every query about a tenant's
 * things takes the tenant, and answers nothing for another tenant's.
 */
export class IdentityDirectory {
  constructor(private readonly store: ReadStore) {}

  async tenantIdBySlugIndex(slugIndex: string): Promise<string | undefined> {
    const page = await this.tenants().find(
      { slugIndex, status: 'active' },
      { limit: 1 },
    );

    return page.items[0]?._id;
  }

  /** Throws TenantKeysDeletedError for a deleted tenant. */
  async tenant(tenantId: string): Promise<TenantDocument | undefined> {
    return this.tenants().get(tenantId);
  }

  async accountByKey(
    tenantId: string,
    accountKey: string,
  ): Promise<AccountView | undefined> {
    const page = await this.users().find(
      { tenantId, accountKey },
      { limit: 1 },
    );
    const doc = page.items[0];

    return doc && toAccount(doc);
  }

  async accountById(
    tenantId: string,
    userId: string,
  ): Promise<AccountView | undefined> {
    const doc = await this.users().get(userId);

    return doc?.tenantId === tenantId ? toAccount(doc) : undefined;
  }

  async listAccounts(
    tenantId: string,
    options: UserListOptions,
  ): Promise<Page<AccountView>> {
    const page = await this.users().find(
      { tenantId },
      // Usernames are sealed, so the store cannot order by them.
      { sort: [['createdAt', 1]], ...options },
    );

    return { ...page, items: page.items.map(toAccount) };
  }

  async session(
    tenantId: string,
    sessionId: string,
  ): Promise<SessionDocument | undefined> {
    const doc = await this.store
      .collection<SessionDocument>(sessionsCollection)
      .get(sessionId);

    return doc?.tenantId === tenantId ? doc : undefined;
  }

  /**
   * Drops the sessions past their expiry, ended or not: a token of one is
   * refused by its own expiry, so nothing needs them any more.
   */
  forgetExpiredSessions(now: Date): Promise<number> {
    return this.store
      .collection<SessionDocument>(sessionsCollection)
      .deleteMany({ expiresAt: { $lt: now.toISOString() } });
  }

  /** The ids of every tenant that is not deleted. */
  async activeTenantIds(): Promise<string[]> {
    const ids: string[] = [];
    const active = { status: 'active' };
    for await (const page of pagesOf(this.tenants(), active, 500)) {
      ids.push(...page.map((tenant) => tenant._id));
    }

    return ids;
  }

  private tenants() {
    return this.store.collection<TenantDocument>(tenantsCollection);
  }

  private users() {
    return this.store.collection<UserDocument>(usersCollection);
  }
}

function toAccount(doc: UserDocument): AccountView {
  return {
    userId: doc._id,
    tenantId: doc.tenantId,
    username: doc.username,
    accountKey: doc.accountKey,
    role: doc.role,
    status: doc.status,
    passwordHash: doc.passwordHash,
    createdAt: doc.createdAt,
  };
}

import { pagesOf } from '../../ports/read-pages.js';
import type { Page, ReadStore } from '../../ports/read-store.js';
import { connectionsCollection } from './connection-documents.js';
import type { ConnectionDocument } from './connection-documents.js';
import { webhookSecretsCollection } from './webhook-secret-documents.js';
import type { WebhookSecretDocument } from './webhook-secret-documents.js';

/** Finds connections as the read model keeps them. */
export class ConnectionDirectory {
  constructor(private readonly store: ReadStore) {}

  /** Another tenant's connection is as missing as one that never was. */
  async connection(
    tenantId: string,
    connectionId: string,
  ): Promise<ConnectionDocument | undefined> {
    const found = await this.connections().get(connectionId);

    return found?.tenantId === tenantId ? found : undefined;
  }

  /**
   * By id alone, for the webhook endpoint, which learns the tenant from
   * the connection. Nothing of it may reach a caller before the
   * signature is checked.
   */
  webhookSecrets(
    connectionId: string,
  ): Promise<WebhookSecretDocument | undefined> {
    return this.store
      .collection<WebhookSecretDocument>(webhookSecretsCollection)
      .get(connectionId);
  }

  list(
    tenantId: string,
    options: { limit: number; cursor?: string | undefined },
  ): Promise<Page<ConnectionDocument>> {
    return this.connections().find(
      { tenantId },
      {
        sort: [['createdAt', 1]],
        limit: options.limit,
        ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
      },
    );
  }

  /** Every active connection of every tenant, a page at a time. */
  async *everyActive(): AsyncIterable<{
    tenantId: string;
    connectionId: string;
  }> {
    const active = { status: 'active' };
    for await (const page of pagesOf(this.connections(), active, 100)) {
      for (const doc of page) {
        yield { tenantId: doc.tenantId, connectionId: doc._id };
      }
    }
  }

  private connections() {
    return this.store.collection<ConnectionDocument>(connectionsCollection);
  }
}

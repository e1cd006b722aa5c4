import { randomUUID } from 'node:crypto';

import { EventCodec } from '../../domain/event-codec.js';
import { tenantDecider, tenantStreamName } from '../../domain/tenant/tenant.js';
import type { TenantState } from '../../domain/tenant/tenant.js';
import { tenantEvents } from '../../domain/tenant/tenant-events.js';
import { DomainError } from '../../domain/domain-error.js';
import type { BlindIndex } from '../../ports/blind-index.js';
import { TenantKeysDeletedError } from '../../ports/errors.js';
import type { EventStore } from '../../ports/event-store.js';
import type { Logger } from '../../ports/logger.js';
import type { TenantKeys } from '../../ports/tenant-keys.js';
import { CommandHandler } from '../command-handler.js';
import { slugIndex } from './accounts.js';

export interface NewTenant {
  slug: string;
  displayName: string;
  /** The addresses Hakkiri reaches on-premise tools from, shown to it. */
  egressAddresses: string[];
}

export interface TenantAdministrationDependencies {
  store: EventStore;
  logger: Logger;
  keys: TenantKeys;
  blindIndex: BlindIndex;
}

export type TenantDeletion =
  | { kind: 'deleted'; tenantId: string; keysDeleted: number }
  | { kind: 'already-shredded' };

/** Creates and deletes tenants; operators do this from the CLI. */
export class TenantAdministration {
  private readonly handler;

  constructor(private readonly deps: TenantAdministrationDependencies) {
    this.handler = new CommandHandler({
      decider: tenantDecider,
      codec: new EventCodec(tenantEvents),
      store: deps.store,
      logger: deps.logger,
    });
  }

  /**
   * Makes the tenant's keys, then the tenant: its first event is sealed
   * with them. Throws DomainError `tenant_exists` when the slug is taken.
   */
  async create(
    tenant: NewTenant,
    requestId: string,
  ): Promise<{ tenantId: string; position: bigint | undefined }> {
    const tenantId = randomUUID();
    const index = await slugIndex(this.deps.blindIndex, tenant.slug);
    const stream = tenantStreamName(index);
    await this.deps.keys.createTenantKeys(tenantId);

    try {
      const result = await this.handler.handle(
        stream,
        { type: 'CreateTenant', tenantId, slugIndex: index, ...tenant },
        context(tenantId, requestId),
        { expectedRevision: 'no_stream' },
      );

      return { tenantId, position: result.position };
    } catch (error) {
      // Nothing was sealed with the new keys; keep no orphans.
      await this.deps.keys.deleteTenantKeys(tenantId);
      throw error;
    }
  }

  /** Throws DomainError `tenant_not_found` unless the tenant is active. */
  async activeId(slug: string): Promise<string> {
    const state = await this.handler.current(await this.streamOf(slug));
    if (state.status !== 'active') {
      throw new DomainError('tenant_not_found', 'not_found', 'No such tenant');
    }

    return state.tenantId;
  }

  /**
   * Records the deletion, then deletes the tenant's keys: from then on
   * none of its data can be read, in any store or copy. Safe to repeat
   * after a failure between the two steps. Throws DomainError
   * `tenant_not_found` for a slug no tenant ever had.
   */
  async delete(slug: string, requestId: string): Promise<TenantDeletion> {
    const stream = await this.streamOf(slug);

    let state: TenantState;
    try {
      state = await this.handler.current(stream);
    } catch (error) {
      if (error instanceof TenantKeysDeletedError) {
        return { kind: 'already-shredded' };
      }
      throw error;
    }
    if (state.status === 'absent') {
      throw new DomainError('tenant_not_found', 'not_found', 'No such tenant');
    }

    const { tenantId } = state;
    await this.handler.handle(
      stream,
      { type: 'DeleteTenant', at: new Date() },
      context(tenantId, requestId),
    );
    const keysDeleted = await this.deps.keys.deleteTenantKeys(tenantId);

    return { kind: 'deleted', tenantId, keysDeleted };
  }

  private async streamOf(slug: string): Promise<string> {
    return tenantStreamName(await slugIndex(this.deps.blindIndex, slug));
  }
}

function context(tenantId: string, requestId: string) {
  return { tenantId, correlationId: requestId, causationId: requestId };
}

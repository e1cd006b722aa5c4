import { randomUUID } from 'node:crypto';

import { EventCodec } from '../../domain/event-codec.js';
import { tenantDecider, tenantStreamName } from '../../domain/tenant/tenant.js';
import { tenantEvents } from '../../domain/tenant/tenant-events.js';
import type { EventStore } from '../../ports/event-store.js';
import type { Logger } from '../../ports/logger.js';
import { CommandHandler } from '../command-handler.js';

export interface NewTenant {
  slug: string;
  displayName: string;
  /** The addresses Hakkiri reaches on-premise tools from, shown to it. */
  egressAddresses: string[];
}

/** Creates tenants; operators do this from the CLI. */
export class TenantAdministration {
  private readonly handler;

  constructor(store: EventStore, logger: Logger) {
    this.handler = new CommandHandler({
      decider: tenantDecider,
      codec: new EventCodec(tenantEvents),
      store,
      logger,
    });
  }

  /** Throws DomainError `tenant_exists` when the slug is taken. */
  async create(
    tenant: NewTenant,
    requestId: string,
  ): Promise<{ tenantId: string; position: bigint | undefined }> {
    const tenantId = randomUUID();

    const result = await this.handler.handle(
      tenantStreamName(tenant.slug),
      { type: 'CreateTenant', tenantId, ...tenant },
      { tenantId, correlationId: requestId, causationId: requestId },
      { expectedRevision: 'no_stream' },
    );

    return { tenantId, position: result.position };
  }
}

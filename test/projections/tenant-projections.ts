import { EventCodec } from '../../src/domain/event-codec.js';
import { tenantEvents } from '../../src/domain/tenant/tenant-events.js';
import type { TenantEvent } from '../../src/domain/tenant/tenant-events.js';
import { defineProjection } from '../../src/projections/projection.js';
import type { ReadDocument } from '../../src/ports/read-store.js';
import type { Projection } from '../../src/projections/projection.js';
import { pause } from '../support/waiting.js';

export const tenantNamesCollection = 'tenant_names';

export interface TenantNameDocument extends ReadDocument {
  renames: number;
  name: string;
}

const codec = new EventCodec<TenantEvent>(tenantEvents);

/** Counts the renames of each tenant stream and keeps its last name. */
export function tenantNamesProjection(
  invocations: bigint[] = [],
  delayMs = 0,
): Projection {
  return defineProjection<TenantEvent>({
    name: 'tenant-names',
    codec,
    collections: [tenantNamesCollection],
    indexes: {
      [tenantNamesCollection]: [{ name: 'by_name', fields: [['name', 1]] }],
    },
    handlers: {
      TenantRenamed: async (event, recorded, store) => {
        invocations.push(recorded.position);
        if (delayMs > 0) await pause(delayMs);
        await store
          .collection(tenantNamesCollection)
          .update(
            recorded.streamName,
            { $inc: { renames: 1 }, $set: { name: event.data.displayName } },
            { upsert: true, position: recorded.position },
          );
      },
    },
  });
}

/** Refuses one display name, as a buggy handler would. */
export function refusingProjection(refusedName: string): Projection {
  return defineProjection<TenantEvent>({
    name: 'refusing',
    codec,
    collections: ['refusing_names'],
    handlers: {
      TenantRenamed: async (event, recorded, store) => {
        if (event.data.displayName === refusedName) {
          throw new Error('cannot project this rename');
        }
        await store
          .collection('refusing_names')
          .update(
            recorded.streamName,
            { $set: { name: event.data.displayName } },
            { upsert: true, position: recorded.position },
          );
      },
    },
  });
}

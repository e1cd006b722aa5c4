import { connectionEvents } from '../../domain/connection/connection-events.js';
import type { ConnectionEvent } from '../../domain/connection/connection-events.js';
import { EventCodec } from '../../domain/event-codec.js';
import type { RecordedEvent } from '../../ports/event-store.js';
import type { ReadStore, Update } from '../../ports/read-store.js';
import { defineProjection } from '../projection.js';
import type { Projection } from '../projection.js';
import {
  connectionEncryptedFields,
  connectionsCollection,
} from './connection-documents.js';

export const connectionProjectionName = 'connections';

/** Keeps each connection as admins see it. */
export const connectionProjection: Projection =
  defineProjection<ConnectionEvent>({
    name: connectionProjectionName,
    codec: new EventCodec<ConnectionEvent>(connectionEvents),
    collections: [connectionsCollection],
    encrypted: connectionEncryptedFields,
    indexes: {
      [connectionsCollection]: [
        {
          name: 'by_tenant_created',
          fields: [
            ['tenantId', 1],
            ['createdAt', 1],
          ],
        },
      ],
    },
    handlers: {
      ConnectionCreated: (event, recorded, store) => {
        const {
          connectionId,
          credentials: _,
          webhookSecret: __,
          caCertificate,
          ...rest
        } = event.data;
        return apply(store, connectionId, recorded, {
          $set: {
            ...rest,
            status: 'active',
            hasCaCertificate: caCertificate !== null,
            credentialsChangedAt: rest.createdAt,
            caChangedAt: rest.createdAt,
          },
        });
      },
      ConnectionRenamed: (event, recorded, store) =>
        apply(store, event.data.connectionId, recorded, {
          $set: { name: event.data.name },
        }),
      ConnectionCredentialsReplaced: (event, recorded, store) =>
        apply(store, event.data.connectionId, recorded, {
          $set: { credentialsChangedAt: event.data.replacedAt },
        }),
      ConnectionCaReplaced: (event, recorded, store) =>
        apply(store, event.data.connectionId, recorded, {
          $set: {
            hasCaCertificate: event.data.caCertificate !== null,
            caChangedAt: event.data.replacedAt,
          },
        }),
      ConnectionDisabled: (event, recorded, store) =>
        apply(store, event.data.connectionId, recorded, {
          $set: { status: 'disabled' },
        }),
    },
  });

/** Every document carries its tenant, whose key seals it. */
async function apply(
  store: ReadStore,
  connectionId: string,
  recorded: RecordedEvent,
  update: Update,
): Promise<void> {
  const $set = { tenantId: recorded.metadata.tenantId, ...update.$set };

  await store
    .collection(connectionsCollection)
    .update(
      connectionId,
      { ...update, $set },
      { upsert: true, position: recorded.position },
    );
}

import { connectionEvents } from '../../domain/connection/connection-events.js';
import type { ConnectionEvent } from '../../domain/connection/connection-events.js';
import { EventCodec } from '../../domain/event-codec.js';
import type { RecordedEvent } from '../../ports/event-store.js';
import type { FieldValue, ReadStore } from '../../ports/read-store.js';
import { defineProjection } from '../projection.js';
import type { Projection } from '../projection.js';
import {
  webhookSecretEncryptedFields,
  webhookSecretsCollection,
} from './webhook-secret-documents.js';

export const webhookSecretProjectionName = 'webhook-secrets';

/**
 * Keeps the secrets each connection's webhooks are signed with, apart
 * from the connection as admins see it: every delivery reads them, and
 * opening one sealed value costs less than opening the whole connection.
 */
export const webhookSecretProjection: Projection =
  defineProjection<ConnectionEvent>({
    name: webhookSecretProjectionName,
    codec: new EventCodec<ConnectionEvent>(connectionEvents),
    collections: [webhookSecretsCollection],
    encrypted: webhookSecretEncryptedFields,
    handlers: {
      ConnectionCreated: (event, recorded, store) =>
        apply(store, event.data.connectionId, recorded, {
          status: 'active',
          secrets: { current: event.data.webhookSecret, previous: null },
          previousUntil: null,
        }),
      ConnectionDisabled: (event, recorded, store) =>
        apply(store, event.data.connectionId, recorded, {
          status: 'disabled',
        }),
      WebhookSecretRotated: (event, recorded, store) =>
        apply(store, event.data.connectionId, recorded, {
          secrets: {
            current: event.data.webhookSecret,
            previous: event.data.previousSecret,
          },
          previousUntil: event.data.graceUntil,
        }),
    },
  });

/** Every document carries its tenant, whose key seals it. */
async function apply(
  store: ReadStore,
  connectionId: string,
  recorded: RecordedEvent,
  fields: Record<string, FieldValue>,
): Promise<void> {
  await store
    .collection(webhookSecretsCollection)
    .update(
      connectionId,
      { $set: { tenantId: recorded.metadata.tenantId, ...fields } },
      { upsert: true, position: recorded.position },
    );
}

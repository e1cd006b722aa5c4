import { EventCodec } from '../../domain/event-codec.js';
import { sessionEvents } from '../../domain/identity/session-events.js';
import type { SessionEvent } from '../../domain/identity/session-events.js';
import { userEvents } from '../../domain/identity/user-events.js';
import type { UserEvent } from '../../domain/identity/user-events.js';
import { tenantEvents } from '../../domain/tenant/tenant-events.js';
import type { TenantEvent } from '../../domain/tenant/tenant-events.js';
import type { RecordedEvent } from '../../ports/event-store.js';
import type { ReadStore, Update } from '../../ports/read-store.js';
import { defineProjection } from '../projection.js';
import type { Projection } from '../projection.js';
import {
  identityEncryptedFields,
  sessionsCollection,
  tenantsCollection,
  usersCollection,
} from './identity-documents.js';

type IdentityEvent = TenantEvent | UserEvent | SessionEvent;

export const identityProjectionName = 'identity';

const codec = new EventCodec<IdentityEvent>([
  ...tenantEvents,
  ...userEvents,
  ...sessionEvents,
]);

/**
 * Keeps who may sign in, and which sessions still hold: the tenants by
 * slug, the users by account, and every session. Authentication reads
 * these on each request.
 */
export const identityProjection: Projection = defineProjection<IdentityEvent>({
  name: identityProjectionName,
  codec,
  collections: [tenantsCollection, usersCollection, sessionsCollection],
  encrypted: identityEncryptedFields,
  indexes: {
    [tenantsCollection]: [
      { name: 'by_slug_index', fields: [['slugIndex', 1]], unique: true },
    ],
    [usersCollection]: [
      {
        name: 'by_account',
        fields: [
          ['tenantId', 1],
          ['accountKey', 1],
        ],
        unique: true,
      },
      {
        name: 'by_tenant_created',
        fields: [
          ['tenantId', 1],
          ['createdAt', 1],
        ],
      },
    ],
    [sessionsCollection]: [{ name: 'by_tenant', fields: [['tenantId', 1]] }],
  },
  handlers: {
    TenantCreated: (event, recorded, store) =>
      apply(store, tenantsCollection, event.data.tenantId, recorded, {
        $set: { ...event.data, egressAddresses: [], status: 'active' },
      }),
    TenantRenamed: (event, recorded, store) =>
      apply(store, tenantsCollection, recorded.metadata.tenantId, recorded, {
        $set: {
          tenantId: recorded.metadata.tenantId,
          displayName: event.data.displayName,
        },
      }),
    EgressAddressesAssigned: (event, recorded, store) =>
      apply(store, tenantsCollection, recorded.metadata.tenantId, recorded, {
        $set: { egressAddresses: event.data.addresses },
      }),
    TenantDeleted: (event, recorded, store) =>
      forget(event.data, recorded, store),
    UserCreated: (event, recorded, store) => {
      const { userId, ...user } = event.data;
      return apply(store, usersCollection, userId, recorded, {
        $set: {
          ...user,
          status: 'active',
          createdAt: recorded.recordedAt.toISOString(),
        },
      });
    },
    UserRoleChanged: (event, recorded, store) =>
      apply(store, usersCollection, event.data.userId, recorded, {
        $set: { role: event.data.role },
      }),
    UserDisabled: (event, recorded, store) =>
      apply(store, usersCollection, event.data.userId, recorded, {
        $set: { status: 'disabled' },
      }),
    SessionStarted: (event, recorded, store) =>
      apply(store, sessionsCollection, event.data.sessionId, recorded, {
        $set: {
          tenantId: event.data.tenantId,
          userId: event.data.userId,
          status: 'active',
          expiresAt: event.data.expiresAt,
        },
      }),
    SessionEnded: (event, recorded, store) =>
      apply(store, sessionsCollection, event.data.sessionId, recorded, {
        $set: { status: 'ended' },
      }),
  },
});

/**
 * Its keys are gone, so its users and sessions could not be read anyway:
 * they go. The tenant stays, marked deleted; what was sealed in it no
 * longer opens.
 */
async function forget(
  { tenantId }: { tenantId: string },
  recorded: RecordedEvent,
  store: ReadStore,
): Promise<void> {
  await store.collection(usersCollection).deleteMany({ tenantId });
  await store.collection(sessionsCollection).deleteMany({ tenantId });

  await apply(store, tenantsCollection, tenantId, recorded, {
    $set: { tenantId, status: 'deleted' },
  });
}

async function apply(
  store: ReadStore,
  collection: string,
  id: string,
  recorded: RecordedEvent,
  update: Update,
): Promise<void> {
  await store
    .collection(collection)
    .update(id, update, { upsert: true, position: recorded.position });
}

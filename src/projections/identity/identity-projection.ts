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
  indexes: {
    [tenantsCollection]: [
      { name: 'by_slug', fields: [['slug', 1]], unique: true },
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
        name: 'by_username',
        fields: [
          ['tenantId', 1],
          ['username', 1],
        ],
      },
    ],
  },
  handlers: {
    TenantCreated: (event, recorded, store) =>
      apply(store, tenantsCollection, event.data.tenantId, recorded, {
        $set: {
          slug: event.data.slug,
          displayName: event.data.displayName,
          egressAddresses: [],
        },
      }),
    TenantRenamed: (event, recorded, store) =>
      apply(store, tenantsCollection, recorded.metadata.tenantId, recorded, {
        $set: { displayName: event.data.displayName },
      }),
    EgressAddressesAssigned: (event, recorded, store) =>
      apply(store, tenantsCollection, recorded.metadata.tenantId, recorded, {
        $set: { egressAddresses: event.data.addresses },
      }),
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

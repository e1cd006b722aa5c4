import type { EventDefinition } from './event-codec.js';
import { loginAttemptEvents } from './identity/login-attempt-events.js';
import { sessionEvents } from './identity/session-events.js';
import { userEvents } from './identity/user-events.js';
import { tenantEvents } from './tenant/tenant-events.js';

/** Every event type the service writes. */
export const eventCatalog: readonly EventDefinition<string, unknown>[] = [
  ...tenantEvents,
  ...userEvents,
  ...sessionEvents,
  ...loginAttemptEvents,
];

/** The sealed fields of each event type that has any. */
export function encryptedEventFields(
  catalog: readonly EventDefinition<string, unknown>[] = eventCatalog,
): Map<string, readonly string[]> {
  return new Map(
    catalog
      .filter((definition) => definition.encrypted.length > 0)
      .map((definition) => [definition.type, definition.encrypted]),
  );
}

import { statusMappingEvents } from './analytics/status-mapping-events.js';
import type { EventDefinition } from './event-codec.js';
import { loginAttemptEvents } from './identity/login-attempt-events.js';
import { sessionEvents } from './identity/session-events.js';
import { userEvents } from './identity/user-events.js';
import { connectionEvents } from './connection/connection-events.js';
import { tenantEvents } from './tenant/tenant-events.js';
import { tenantSettingsEvents } from './tenant/tenant-settings-events.js';
import {
  workflowEvents,
  workItemEvents,
} from './work-item/work-item-events.js';

/** Every event type the service writes. */
export const eventCatalog: readonly EventDefinition<string, unknown>[] = [
  ...tenantEvents,
  ...userEvents,
  ...sessionEvents,
  ...loginAttemptEvents,
  ...connectionEvents,
  ...workItemEvents,
  ...workflowEvents,
  ...statusMappingEvents,
  ...tenantSettingsEvents,
];

/** What the encrypting event store needs to know of each event type. */
export interface EventEncryptionPolicy {
  /** The sealed fields of each event type that has any. */
  sealed: ReadonlyMap<string, readonly string[]>;
  /** The types still readable after their tenant's keys are deleted. */
  outliveKeys: ReadonlySet<string>;
}

export function eventEncryptionPolicy(
  catalog: readonly EventDefinition<string, unknown>[] = eventCatalog,
): EventEncryptionPolicy {
  const sealed = catalog.filter((definition) => definition.encrypted.length);
  const outliving = catalog.filter(
    (definition) => definition.outlivesTenantKeys,
  );

  return {
    sealed: new Map(sealed.map((d) => [d.type, d.encrypted])),
    outliveKeys: new Set(outliving.map((d) => d.type)),
  };
}

import { z } from 'zod';

import { defineEvent } from '../event-codec.js';
import type { EventOf } from '../event-codec.js';

export const tenantSettingsEvents = [
  defineEvent(
    'TenantTimeZoneSet',
    1,
    z.object({
      /** An IANA name, canonical: days and weeks are counted in it. */
      timeZone: z.string().min(1),
    }),
  ),
] as const;

export type TenantSettingsEvent = EventOf<typeof tenantSettingsEvents>;

/** A tenant's own settings, apart from its identity's stream. */
export const tenantSettingsStreamName = (tenantId: string) =>
  `tenant-settings-${tenantId}`;

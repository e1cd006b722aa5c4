import { z } from 'zod';

import { defineEvent } from '../event-codec.js';
import type { EventOf } from '../event-codec.js';

export const tenantEvents = [
  defineEvent(
    'TenantCreated',
    1,
    z.object({
      tenantId: z.string().min(1),
      slug: z.string().min(1),
      /** Finds the tenant by slug without the slug: a blind index. */
      slugIndex: z.string().min(1),
      displayName: z.string().min(1),
    }),
    { encrypted: ['slug', 'displayName'] },
  ),
  defineEvent(
    'TenantRenamed',
    1,
    z.object({ displayName: z.string().min(1) }),
    { encrypted: ['displayName'] },
  ),
  defineEvent(
    'EgressAddressesAssigned',
    1,
    z.object({ addresses: z.array(z.string()) }),
  ),
  defineEvent(
    'TenantDeleted',
    1,
    z.object({ tenantId: z.string().min(1), deletedAt: z.string() }),
    { outlivesTenantKeys: true },
  ),
] as const;

export type TenantEvent = EventOf<typeof tenantEvents>;

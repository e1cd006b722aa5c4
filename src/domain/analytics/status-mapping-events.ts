import { z } from 'zod';

import { defineEvent } from '../event-codec.js';
import type { EventOf } from '../event-codec.js';
import { stages } from './stage.js';

export const statusRuleSchema = z.object({
  /** A status name, as Jira shows it; matched without regard to case. */
  status: z.string().min(1),
  stage: z.enum(stages),
  /** Finished items in this status do not count as throughput. */
  excludeFromThroughput: z.boolean(),
});

export type StatusRule = z.infer<typeof statusRuleSchema>;

export const statusMappingEvents = [
  defineEvent(
    'StatusMappingSet',
    1,
    z.object({
      /** The whole mapping; statuses it leaves out follow Jira again. */
      statuses: z.array(statusRuleSchema),
    }),
    // Status names are the customer's.
    { encrypted: ['statuses'] },
  ),
] as const;

export type StatusMappingEvent = EventOf<typeof statusMappingEvents>;

/** A tenant's mapping of status names to stages. */
export const statusMappingStreamName = (tenantId: string) =>
  `status-mapping-${tenantId}`;

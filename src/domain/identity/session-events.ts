import { z } from 'zod';

import { defineEvent } from '../event-codec.js';
import type { EventOf } from '../event-codec.js';

export const sessionEvents = [
  defineEvent(
    'SessionStarted',
    1,
    z.object({
      sessionId: z.string().min(1),
      tenantId: z.string().min(1),
      userId: z.string().min(1),
      startedAt: z.string(),
      expiresAt: z.string(),
    }),
  ),
  defineEvent(
    'SessionEnded',
    1,
    z.object({
      sessionId: z.string().min(1),
      reason: z.enum(['logout']),
      endedAt: z.string(),
    }),
  ),
] as const;

export type SessionEvent = EventOf<typeof sessionEvents>;

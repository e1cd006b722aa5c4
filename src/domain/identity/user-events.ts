import { z } from 'zod';

import { defineEvent } from '../event-codec.js';
import type { EventOf } from '../event-codec.js';

export const roles = ['admin', 'analyst'] as const;

export type Role = (typeof roles)[number];

export const userEvents = [
  defineEvent(
    'UserCreated',
    1,
    z.object({
      userId: z.string().min(1),
      tenantId: z.string().min(1),
      username: z.string().min(1),
      /** Names the user's streams without naming the user. */
      accountKey: z.string().min(1),
      role: z.enum(roles),
      passwordHash: z.string().min(1),
    }),
    { encrypted: ['username', 'passwordHash'] },
  ),
  defineEvent(
    'UserRoleChanged',
    1,
    z.object({ userId: z.string().min(1), role: z.enum(roles) }),
  ),
  defineEvent(
    'UserDisabled',
    1,
    z.object({ userId: z.string().min(1), disabledAt: z.string() }),
  ),
] as const;

export type UserEvent = EventOf<typeof userEvents>;

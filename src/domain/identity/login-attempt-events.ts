import { z } from 'zod';

import { defineEvent } from '../event-codec.js';
import type { EventOf } from '../event-codec.js';

/**
 * Why a login failed. Only the audit trail sees the difference; the caller
 * always gets the same answer.
 */
export const loginFailureCauses = [
  'unknown_user',
  'wrong_password',
  'user_disabled',
  'locked',
] as const;

export const loginAttemptEvents = [
  defineEvent(
    'LoginSucceeded',
    1,
    z.object({ sessionId: z.string().min(1), at: z.string() }),
  ),
  defineEvent(
    'LoginFailed',
    1,
    z.object({
      cause: z.enum(loginFailureCauses),
      at: z.string(),
      address: z.string().optional(),
      /** Set when the attempt met a lock: when that lock ends. */
      lockedUntil: z.string().optional(),
    }),
    { encrypted: ['address'] },
  ),
] as const;

export type LoginAttemptEvent = EventOf<typeof loginAttemptEvents>;

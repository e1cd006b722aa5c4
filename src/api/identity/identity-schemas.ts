import { z } from 'zod';

import { roles } from '../../domain/identity/user-events.js';
import type { AccountView } from '../../projections/identity/identity-directory.js';

export const roleSchema = z.enum(roles);

/**
 * Passwords are capped, because each one is hashed with a memory-hard
 * function; 1,024 characters is far beyond any passphrase.
 */
const passwordSchema = z.string().min(1).max(1024);

export const loginSchema = z
  .strictObject({
    tenant: z.string().min(1).max(63),
    username: z.string().min(1).max(128),
    password: passwordSchema,
  })
  .meta({ id: 'LoginRequest' });

export const sessionTokenSchema = z
  .object({
    token: z.string().meta({ description: 'A bearer token (JWT)' }),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'SessionToken' });

export const meSchema = z
  .object({
    tenant: z.string().meta({ description: 'The tenant slug' }),
    userId: z.string(),
    username: z.string(),
    role: roleSchema,
  })
  .meta({ id: 'Me' });

export const newUserSchema = z
  .strictObject({
    username: z.string().min(1).max(128),
    password: passwordSchema.meta({
      description: 'At least 12 characters, and not the username',
    }),
    role: roleSchema,
  })
  .meta({ id: 'NewUser' });

export const userChangeSchema = z
  .strictObject({ role: roleSchema })
  .meta({ id: 'UserChange' });

export const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    role: roleSchema,
    status: z.enum(['active', 'disabled']),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });

export const userPageSchema = z
  .object({
    items: z.array(userSchema),
    next: z
      .string()
      .optional()
      .meta({ description: 'Cursor of the next page' }),
  })
  .meta({ id: 'UserPage' });

export const userListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(500).optional(),
});

export const userIdSchema = z.strictObject({ id: z.uuid() });

export const networkSchema = z
  .object({
    egressAddresses: z.array(z.string()).meta({
      description: 'Allow these in the firewall in front of on-premise tools',
    }),
    webhookBaseUrl: z.string().meta({
      description: 'Webhooks go to this URL followed by the connection id',
    }),
  })
  .meta({ id: 'Network' });

/** A user as the API shows it: never with the password hash. */
export function userView(account: AccountView): z.infer<typeof userSchema> {
  return {
    id: account.userId,
    username: account.username,
    role: account.role,
    status: account.status,
    createdAt: account.createdAt,
  };
}

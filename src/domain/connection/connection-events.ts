import { z } from 'zod';

import { defineEvent } from '../event-codec.js';
import type { EventOf } from '../event-codec.js';

export const connectionKinds = ['jira-cloud', 'jira-server'] as const;

export type ConnectionKind = (typeof connectionKinds)[number];

export const cloudCredentialsSchema = z.strictObject({
  email: z.email().max(320),
  apiToken: z.string().min(1).max(1000),
});

export const serverCredentialsSchema = z.strictObject({
  personalAccessToken: z.string().min(1).max(1000),
});

export const credentialsSchema = z.union([
  cloudCredentialsSchema,
  serverCredentialsSchema,
]);

export type Credentials = z.infer<typeof credentialsSchema>;

const instant = z.iso.datetime();

/**
 * Everything an admin gives a connection is sealed: where the customer's
 * tool is, how to sign in to it, what it is called, and the secret its
 * webhooks are signed with.
 */
export const connectionEvents = [
  defineEvent(
    'ConnectionCreated',
    1,
    z.object({
      connectionId: z.string().min(1),
      tenantId: z.string().min(1),
      kind: z.enum(connectionKinds),
      name: z.string().min(1),
      baseUrl: z.string().min(1),
      credentials: credentialsSchema,
      caCertificate: z.string().nullable(),
      projects: z.array(z.string()),
      webhookSecret: z.string().min(1),
      createdAt: instant,
    }),
    {
      encrypted: [
        'name',
        'baseUrl',
        'credentials',
        'caCertificate',
        'projects',
        'webhookSecret',
      ],
    },
  ),
  defineEvent(
    'ConnectionRenamed',
    1,
    z.object({ connectionId: z.string().min(1), name: z.string().min(1) }),
    { encrypted: ['name'] },
  ),
  defineEvent(
    'ConnectionCredentialsReplaced',
    1,
    z.object({
      connectionId: z.string().min(1),
      credentials: credentialsSchema,
      replacedAt: instant,
    }),
    { encrypted: ['credentials'] },
  ),
  defineEvent(
    'ConnectionCaReplaced',
    1,
    z.object({
      connectionId: z.string().min(1),
      caCertificate: z.string().nullable(),
      replacedAt: instant,
    }),
    { encrypted: ['caCertificate'] },
  ),
  defineEvent(
    'ConnectionDisabled',
    1,
    z.object({ connectionId: z.string().min(1), disabledAt: instant }),
  ),
  defineEvent(
    'WebhookSecretRotated',
    1,
    z.object({
      connectionId: z.string().min(1),
      webhookSecret: z.string().min(1),
      /** The secret it replaces, still accepted until `graceUntil`. */
      previousSecret: z.string().min(1),
      graceUntil: instant,
      rotatedAt: instant,
    }),
    { encrypted: ['webhookSecret', 'previousSecret'] },
  ),
] as const;

export type ConnectionEvent = EventOf<typeof connectionEvents>;

export const connectionStreamName = (connectionId: string) =>
  `connection-${connectionId}`;

import { z } from 'zod';

import type { SyncDocument } from '../../commands/sync/sync-ledger.js';
import {
  connectionKinds,
  credentialsSchema,
} from '../../domain/connection/connection-events.js';
import type { ConnectionDocument } from '../../projections/connections/connection-documents.js';

const pemSchema = z
  .string()
  .max(64 * 1024)
  .regex(/-----BEGIN CERTIFICATE-----/, 'must be a PEM certificate')
  .meta({ description: 'PEM, for a Jira behind an internal CA' });

const projectsSchema = z
  .array(z.string().min(1).max(100))
  .max(100)
  .meta({ description: 'Project keys to include; all when empty' });

export const newConnectionSchema = z
  .strictObject({
    kind: z.enum(connectionKinds),
    name: z.string().min(1).max(200),
    baseUrl: z.string().min(1).max(2048).meta({
      description: 'https:// only; a custom port and a context path are kept',
    }),
    credentials: credentialsSchema.meta({
      description:
        'Jira Cloud: { email, apiToken }. Jira Server or Data Center: ' +
        '{ personalAccessToken }.',
    }),
    caCertificate: pemSchema.optional(),
    projects: projectsSchema.optional(),
  })
  .meta({ id: 'NewConnection' });

export const connectionChangeSchema = z
  .strictObject({
    name: z.string().min(1).max(200).optional(),
    credentials: credentialsSchema.optional(),
    caCertificate: pemSchema.nullable().optional(),
  })
  .refine((change) => Object.keys(change).length > 0, {
    message: 'Give at least one of name, credentials, caCertificate',
  })
  .meta({ id: 'ConnectionChange' });

const secretStateSchema = z.object({
  set: z.boolean(),
  changedAt: z.iso.datetime(),
});

const syncSchema = z
  .object({
    state: z.enum(['idle', 'running', 'succeeded', 'failed']),
    syncId: z.string().nullable(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    itemsSeen: z.number().int(),
    pagesFetched: z.number().int(),
    lastSuccessAt: z.iso.datetime().nullable(),
    lastError: z
      .object({ reason: z.string(), message: z.string(), at: z.string() })
      .nullable(),
    checkpoint: z.iso.datetime().nullable().meta({
      description: 'The next sync asks for issues updated since then',
    }),
  })
  .meta({ id: 'SyncState' });

export const connectionSchema = z
  .object({
    id: z.string(),
    kind: z.enum(connectionKinds),
    name: z.string(),
    baseUrl: z.string(),
    projects: z.array(z.string()),
    status: z.enum(['active', 'disabled']),
    createdAt: z.iso.datetime(),
    credentials: secretStateSchema.meta({
      description: 'Credentials are never shown, only that they are set',
    }),
    caCertificate: secretStateSchema,
    webhook: z.object({ url: z.string() }),
    sync: syncSchema,
  })
  .meta({ id: 'Connection' });

export const createdConnectionSchema = connectionSchema
  .extend({
    webhook: z.object({
      url: z.string(),
      secret: z.string().meta({
        description: 'Shown this once; give it to Jira as the webhook secret',
      }),
    }),
    account: z.object({ displayName: z.string() }).meta({
      description: 'Whom the credentials belong to, as Jira answered',
    }),
  })
  .meta({ id: 'CreatedConnection' });

export const connectionPageSchema = z
  .object({
    items: z.array(connectionSchema),
    next: z
      .string()
      .optional()
      .meta({ description: 'Cursor of the next page' }),
  })
  .meta({ id: 'ConnectionPage' });

export const connectionListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(500).optional(),
});

export const connectionIdSchema = z.strictObject({ id: z.uuid() });

export const syncStartedSchema = z
  .object({ syncId: z.string(), state: z.literal('running') })
  .meta({ id: 'SyncStarted' });

export const webhookSecretSchema = z
  .object({
    secret: z.string(),
    previousValidUntil: z.iso.datetime().meta({
      description: 'The secret it replaces is accepted until then',
    }),
  })
  .meta({ id: 'WebhookSecret' });

/** A connection as admins see it: never its credentials or secrets. */
export function connectionView(
  doc: ConnectionDocument,
  sync: SyncDocument,
  webhookUrl: string,
): z.infer<typeof connectionSchema> {
  return {
    id: doc._id,
    kind: doc.kind,
    name: doc.name,
    baseUrl: doc.baseUrl,
    projects: doc.projects,
    status: doc.status,
    createdAt: doc.createdAt,
    credentials: { set: true, changedAt: doc.credentialsChangedAt },
    caCertificate: { set: doc.hasCaCertificate, changedAt: doc.caChangedAt },
    webhook: { url: webhookUrl },
    sync: syncView(sync),
  };
}

function syncView(sync: SyncDocument): z.infer<typeof syncSchema> {
  return {
    state: sync.state,
    syncId: sync.run?.syncId ?? null,
    startedAt: sync.run?.startedAt ?? null,
    finishedAt: sync.finishedAt,
    itemsSeen: sync.run?.itemsSeen ?? 0,
    pagesFetched: sync.run?.pagesFetched ?? 0,
    lastSuccessAt: sync.lastSuccessAt,
    lastError: sync.lastError,
    checkpoint: sync.checkpoint,
  };
}

import type { ConnectionKind } from '../../domain/connection/connection-events.js';
import type { ReadDocument } from '../../ports/read-store.js';

export const connectionsCollection = 'connections';

/**
 * One connection, keyed by its id. The credentials are not here: only
 * the sync, which reads the connection's events, needs them. The webhook
 * secrets are, sealed, because every delivery is checked against them.
 */
export interface ConnectionDocument extends ReadDocument {
  tenantId: string;
  kind: ConnectionKind;
  name: string;
  baseUrl: string;
  projects: string[];
  status: 'active' | 'disabled';
  hasCaCertificate: boolean;
  createdAt: string;
  credentialsChangedAt: string;
  caChangedAt: string;
  webhookSecret: string;
  /** The secret before the last rotation, valid until `previousUntil`. */
  previousSecret: string | null;
  previousUntil: string | null;
}

export const connectionEncryptedFields: Readonly<
  Record<string, readonly string[]>
> = {
  [connectionsCollection]: [
    'name',
    'baseUrl',
    'projects',
    'webhookSecret',
    'previousSecret',
  ] satisfies (keyof ConnectionDocument)[],
};

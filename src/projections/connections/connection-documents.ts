import type { ConnectionKind } from '../../domain/connection/connection-events.js';
import type { ReadDocument } from '../../ports/read-store.js';

export const connectionsCollection = 'connections';

/**
 * One connection, keyed by its id. The credentials are not here: only
 * the sync, which reads the connection's events, needs them. Nor are the
 * webhook secrets: they have a read model of their own.
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
}

export const connectionEncryptedFields: Readonly<
  Record<string, readonly string[]>
> = {
  [connectionsCollection]: [
    'name',
    'baseUrl',
    'projects',
  ] satisfies (keyof ConnectionDocument)[],
};

import type { ReadDocument } from '../../ports/read-store.js';

export const webhookSecretsCollection = 'webhook_secrets';

/**
 * What the webhook endpoint needs of a connection, keyed by its id, and
 * nothing else: whose it is, whether it takes deliveries, and the
 * secrets they are signed with, sealed together so that a delivery
 * opens one value.
 */
export interface WebhookSecretDocument extends ReadDocument {
  tenantId: string;
  status: 'active' | 'disabled';
  secrets: {
    current: string;
    /** The secret before the last rotation, valid until `previousUntil`. */
    previous: string | null;
  };
  previousUntil: string | null;
}

export const webhookSecretEncryptedFields: Readonly<
  Record<string, readonly string[]>
> = {
  [webhookSecretsCollection]: [
    'secrets',
  ] satisfies (keyof WebhookSecretDocument)[],
};

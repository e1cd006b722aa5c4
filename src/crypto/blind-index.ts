import { createHmac } from 'node:crypto';

import type { BlindIndex } from '../ports/blind-index.js';
import { serviceKeyOwner } from './keyring.js';
import type { Keyring } from './keyring.js';

/**
 * HMAC-SHA256 under an index key of the keyring. The purpose is part of
 * the message, so one key gives unrelated digests for different uses.
 */
export class KeyedBlindIndex implements BlindIndex {
  constructor(private readonly keyring: Keyring) {}

  async ofTenantValue(
    tenantId: string,
    purpose: string,
    value: string,
  ): Promise<string> {
    const key = await this.keyring.indexKey(tenantId);

    return createHmac('sha256', key)
      .update(`${purpose}\n${value}`)
      .digest('hex');
  }

  ofServiceValue(purpose: string, value: string): Promise<string> {
    return this.ofTenantValue(serviceKeyOwner, purpose, value);
  }
}

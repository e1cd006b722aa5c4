import type { JsonValue } from '../ports/event-store.js';
import { TenantKeysDeletedError } from '../ports/errors.js';
import type { FieldAddress } from '../ports/value-sealer.js';

/** What a remembered value must still be checked against on each use. */
export interface ShreddingCheck {
  isShredded(tenantId: string): Promise<boolean>;
}

export interface OpenedValuesOptions {
  /** Values remembered at most; the least recently used give way. */
  limit?: number;
  /** Longer sealed values are opened every time, so memory stays small. */
  maxSealedChars?: number;
}

/**
 * Sealed read-model values opened or sealed lately, by their address and
 * their ciphertext. A read model is read far more often than it is
 * written (each request reads its session's user), and projections read
 * back what they just wrote; opening the same ciphertext at the same
 * address always gives the same value, so a value is opened at most once
 * until its document changes it.
 *
 * It keeps what decryption guarantees: the address is part of the key,
 * so a ciphertext moved to another field, record or tenant is opened,
 * and refused, as ever; and each use asks the keyring whether the tenant
 * was shredded, so a deleted key stops its values exactly as it stops
 * decryption. Values are kept as JSON text and parsed on each use, so no
 * two callers share an object.
 */
export class OpenedValues {
  private readonly texts = new Map<string, string>();
  private readonly limit: number;
  private readonly maxSealedChars: number;

  constructor(
    private readonly keys: ShreddingCheck,
    { limit = 10_000, maxSealedChars = 1024 }: OpenedValuesOptions = {},
  ) {
    this.limit = limit;
    this.maxSealedChars = maxSealedChars;
  }

  /** The value sealed in `stored`, opened by `open` unless remembered. */
  async open(
    address: FieldAddress,
    stored: string,
    open: () => Promise<JsonValue>,
  ): Promise<JsonValue> {
    const key = this.keyOf(address, stored);
    const text = key === undefined ? undefined : this.texts.get(key);
    if (key === undefined || text === undefined) {
      const value = await open();
      if (key !== undefined) this.keep(key, JSON.stringify(value));
      return value;
    }

    if (await this.keys.isShredded(address.tenantId)) {
      this.forgetTenant(address.tenantId);
      throw new TenantKeysDeletedError(address.tenantId);
    }
    // Used again: it moves to the young end of the map's order.
    this.texts.delete(key);
    this.texts.set(key, text);

    return JSON.parse(text) as JsonValue;
  }

  /**
   * A value just sealed as `stored`, given as the JSON text that was
   * sealed: its next read need not open it.
   */
  remember(address: FieldAddress, stored: string, json: string): void {
    const key = this.keyOf(address, stored);
    if (key !== undefined) this.keep(key, json);
  }

  private keep(key: string, json: string): void {
    if (this.texts.size >= this.limit) {
      this.texts.delete(this.texts.keys().next().value!);
    }
    this.texts.set(key, json);
  }

  private keyOf(address: FieldAddress, stored: string): string | undefined {
    if (stored.length > this.maxSealedChars) return undefined;

    return `${address.tenantId}\n${address.record}\n${address.field}\n${stored}`;
  }

  private forgetTenant(tenantId: string): void {
    const prefix = `${tenantId}\n`;
    for (const key of this.texts.keys()) {
      if (key.startsWith(prefix)) this.texts.delete(key);
    }
  }
}

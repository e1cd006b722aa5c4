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
  /** Longer texts are opened every time, so memory stays small. */
  maxChars?: number;
}

type Scalar = string | number | boolean | null;

/**
 * Sealed read-model values opened lately, by their address and their
 * ciphertext. A read model is read far more often than it is written
 * (each request reads its session's user), and opening the same
 * ciphertext at the same address always gives the same value, so a value
 * is opened once until its document changes it.
 *
 * It keeps what decryption guarantees: the address is part of the key,
 * so a ciphertext moved to another field, record or tenant is opened,
 * and refused, as ever; and each use asks the keyring whether the tenant
 * was shredded, so a deleted key stops its values exactly as it stops
 * decryption. Only scalars are kept: a caller may change an object it
 * was given.
 */
export class OpenedValues {
  private readonly values = new Map<string, Scalar>();
  private readonly limit: number;
  private readonly maxChars: number;

  constructor(
    private readonly keys: ShreddingCheck,
    { limit = 10_000, maxChars = 1024 }: OpenedValuesOptions = {},
  ) {
    this.limit = limit;
    this.maxChars = maxChars;
  }

  /** The value sealed in `stored`, opened by `open` when not remembered. */
  async open(
    address: FieldAddress,
    stored: string,
    open: () => Promise<JsonValue>,
  ): Promise<JsonValue> {
    const key = keyOf(address, stored);
    const remembered = this.values.get(key);
    if (remembered === undefined) return this.keep(key, await open());

    if (await this.keys.isShredded(address.tenantId)) {
      this.forgetTenant(address.tenantId);
      throw new TenantKeysDeletedError(address.tenantId);
    }
    // Used again: it moves to the young end of the map's order.
    this.values.delete(key);
    this.values.set(key, remembered);

    return remembered;
  }

  private keep(key: string, value: JsonValue): JsonValue {
    if (!isScalar(value) || String(value).length > this.maxChars) {
      return value;
    }

    if (this.values.size >= this.limit) {
      this.values.delete(this.values.keys().next().value!);
    }
    this.values.set(key, value);

    return value;
  }

  private forgetTenant(tenantId: string): void {
    const prefix = `${tenantId}\n`;
    for (const key of this.values.keys()) {
      if (key.startsWith(prefix)) this.values.delete(key);
    }
  }
}

function keyOf(address: FieldAddress, stored: string): string {
  return `${address.tenantId}\n${address.record}\n${address.field}\n${stored}`;
}

function isScalar(value: JsonValue): value is Scalar {
  return value === null || typeof value !== 'object';
}

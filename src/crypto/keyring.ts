import { randomBytes } from 'node:crypto';

import type { KeyPurpose, KeyStore, StoredKey } from '../ports/key-store.js';
import { TenantKeysDeletedError } from '../ports/errors.js';
import type { TenantKeys } from '../ports/tenant-keys.js';
import type { MasterKeys } from './master-key.js';

/** An unwrapped key and its version. Lives only in memory. */
export interface VersionedKey {
  version: number;
  key: Buffer;
}

export interface KeyringOptions {
  /**
   * How long unwrapped keys are kept before the store is asked again. A
   * rotation or a deletion made by another process is seen within this.
   */
  cacheMs?: number;
  now?: () => number;
}

interface UnwrappedKeys {
  loadedAt: number;
  data: Map<number, Buffer>;
  currentData: number;
  index: Buffer;
}

/** A tenant found without keys: shredded. Remembered like keys are. */
interface Shredded {
  loadedAt: number;
  shredded: true;
}

/**
 * Owns the service's own keys, such as the index key of tenant slugs. No
 * tenant id can take this form: tenant ids are UUIDs.
 */
export const serviceKeyOwner = 'hakkiri-service';

/**
 * Each tenant's keys: data keys, which encrypt its values and rotate, and
 * one blind-index key, which makes equality lookups on encrypted values
 * possible. They are created with the tenant, stored wrapped by the
 * master key, and unwrapped here on demand.
 */
export class Keyring implements TenantKeys {
  private readonly cache = new Map<string, UnwrappedKeys | Shredded>();
  private readonly cacheMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: KeyStore,
    private readonly masterKeys: MasterKeys,
    options: KeyringOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Safe to repeat: keys that exist are kept. */
  async createTenantKeys(tenantId: string): Promise<void> {
    await this.addKey(tenantId, 'data', 1);
    await this.addKey(tenantId, 'index', 1);
    this.cache.delete(tenantId);
  }

  /** Run at start: the service's keys are made once, then kept. */
  async createServiceKeys(): Promise<void> {
    await this.createTenantKeys(serviceKeyOwner);
  }

  /**
   * A tenant without keys has been shredded. Keys are made before a
   * tenant's first event is written, so there is no other way to be
   * without them (a lost key store has the same effect).
   */
  async isShredded(tenantId: string): Promise<boolean> {
    return 'shredded' in (await this.entry(tenantId));
  }

  /** The key new values are sealed with. */
  async currentDataKey(tenantId: string): Promise<VersionedKey> {
    const keys = await this.keysOf(tenantId);

    return { version: keys.currentData, key: keys.data.get(keys.currentData)! };
  }

  /** A key that sealed older values; undefined when there is none. */
  async dataKey(tenantId: string, version: number) {
    const keys = await this.keysOf(tenantId);

    return keys.data.get(version);
  }

  async indexKey(tenantId: string): Promise<Buffer> {
    return (await this.keysOf(tenantId)).index;
  }

  /**
   * Adds a data key one version newer; new values use it from now on.
   * Older versions stay, so what they sealed still opens.
   */
  async rotateDataKey(tenantId: string): Promise<number> {
    const { currentData } = await this.keysOf(tenantId, { fresh: true });
    const version = currentData + 1;

    await this.addKey(tenantId, 'data', version);
    this.cache.delete(tenantId);

    return version;
  }

  /**
   * Re-wraps every key that an older master key wrapped with the current
   * one. The keys themselves, and so the data, do not change.
   */
  async rotateMasterKey(): Promise<number> {
    const { current } = this.masterKeys;
    let rewrapped = 0;

    for await (const stored of this.store.wrappedByOther(current.id)) {
      const key = await this.unwrap(stored);
      const wrapped = await current.wrap(key, wrapContext(stored));
      const replacement = { wrapped, masterKeyId: current.id };

      const changed = await this.store.rewrap(
        stored,
        stored.masterKeyId,
        replacement,
      );
      if (changed) rewrapped++;
    }

    return rewrapped;
  }

  /** Crypto-shredding: without its keys, none of the tenant's data opens. */
  async deleteTenantKeys(tenantId: string): Promise<number> {
    this.cache.delete(tenantId);

    return this.store.deleteTenant(tenantId);
  }

  /** Throws TenantKeysDeletedError for a shredded tenant. */
  private async keysOf(
    tenantId: string,
    options: { fresh?: boolean } = {},
  ): Promise<UnwrappedKeys> {
    const entry = await this.entry(tenantId, options);
    if ('shredded' in entry) throw new TenantKeysDeletedError(tenantId);

    return entry;
  }

  private async entry(
    tenantId: string,
    { fresh = false } = {},
  ): Promise<UnwrappedKeys | Shredded> {
    const cached = this.cache.get(tenantId);
    if (!fresh && cached && this.now() - cached.loadedAt < this.cacheMs) {
      return cached;
    }

    const loaded = await this.load(tenantId);
    this.cache.set(tenantId, loaded);

    return loaded;
  }

  private async load(tenantId: string): Promise<UnwrappedKeys | Shredded> {
    const stored = await this.store.keysOf(tenantId);
    const index = stored.find((key) => key.purpose === 'index');
    const data = stored.filter((key) => key.purpose === 'data');
    if (!index || data.length === 0) {
      return { loadedAt: this.now(), shredded: true };
    }

    const unwrapped = await Promise.all(
      data.map(async (key) => [key.version, await this.unwrap(key)] as const),
    );

    return {
      loadedAt: this.now(),
      data: new Map(unwrapped),
      currentData: Math.max(...data.map((key) => key.version)),
      index: await this.unwrap(index),
    };
  }

  private async addKey(
    tenantId: string,
    purpose: KeyPurpose,
    version: number,
  ): Promise<void> {
    const { current } = this.masterKeys;
    const address = { tenantId, purpose, version };

    await this.store.add({
      ...address,
      wrapped: await current.wrap(randomBytes(32), wrapContext(address)),
      masterKeyId: current.id,
      createdAt: new Date(this.now()),
    });
  }

  private unwrap(stored: StoredKey): Promise<Buffer> {
    return this.masterKeys
      .get(stored.masterKeyId)
      .unwrap(stored.wrapped, wrapContext(stored));
  }
}

/** Binds a wrapped key to its tenant, purpose and version. */
function wrapContext(
  key: Pick<StoredKey, 'tenantId' | 'purpose' | 'version'>,
): string {
  return `hakkiri key\n${key.tenantId}\n${key.purpose}\n${key.version}`;
}

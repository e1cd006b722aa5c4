import type {
  ExpectedVersion,
  FieldValue,
  Filter,
  FindOptions,
  IndexSpec,
  InsertResult,
  Page,
  ReadCollection,
  ReadDocument,
  ReadStore,
  ReplaceResult,
  Update,
  UpdateOptions,
  UpdateResult,
} from '../ports/read-store.js';
import { DecryptionError, EncryptionPolicyError } from './crypto-errors.js';
import type { FieldAddress } from '../ports/value-sealer.js';
import type { FieldCipher } from './field-cipher.js';
import type { OpenedValues } from './opened-values.js';

/**
 * The encrypted top-level fields of each collection, as the projections
 * that own them declare. Documents of these collections carry `tenantId`,
 * in the clear, to say whose key seals them.
 */
export type ReadModelEncryptionPolicy = ReadonlyMap<string, readonly string[]>;

/** How the read store seals and opens, and what it remembers opening. */
export interface ReadModelSealing {
  cipher: FieldCipher;
  policy: ReadModelEncryptionPolicy;
  opened: OpenedValues;
}

/**
 * A read store that seals the declared fields of every document before it
 * leaves the process, and opens them on the way back. Each value is bound
 * to its tenant, its collection and document, and its field, so a value
 * copied to another document does not open. Filters, sorts and indexes on
 * sealed fields are refused: look such values up by a blind index.
 */
export class EncryptingReadStore implements ReadStore {
  constructor(
    private readonly inner: ReadStore,
    private readonly sealing: ReadModelSealing,
  ) {}

  collection<Doc extends ReadDocument>(name: string): ReadCollection<Doc> {
    const inner = this.inner.collection<Doc>(name);
    const fields = this.sealing.policy.get(name);

    return fields === undefined
      ? inner
      : new EncryptingCollection(name, inner, this.sealing, new Set(fields));
  }

  inBatch<Result>(
    work: (batch: ReadStore) => Promise<Result>,
  ): Promise<Result> {
    return this.inner.inBatch((batch) =>
      work(new EncryptingReadStore(batch, this.sealing)),
    );
  }

  ping(): Promise<boolean> {
    return this.inner.ping();
  }

  purgeDeleted(): Promise<void> {
    return this.inner.purgeDeleted();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

class EncryptingCollection<
  Doc extends ReadDocument,
> implements ReadCollection<Doc> {
  private readonly cipher: FieldCipher;
  private readonly opened: OpenedValues;

  constructor(
    private readonly name: string,
    private readonly inner: ReadCollection<Doc>,
    sealing: ReadModelSealing,
    private readonly sealed: ReadonlySet<string>,
  ) {
    this.cipher = sealing.cipher;
    this.opened = sealing.opened;
  }

  async get(id: string): Promise<Doc | undefined> {
    const doc = await this.inner.get(id);

    return doc && this.open(doc);
  }

  async insert(doc: Doc): Promise<InsertResult> {
    return this.inner.insert(await this.seal(doc));
  }

  async replace(doc: Doc, expected: ExpectedVersion): Promise<ReplaceResult> {
    return this.inner.replace(await this.seal(doc), expected);
  }

  async update(
    id: string,
    update: Update,
    options?: UpdateOptions,
  ): Promise<UpdateResult> {
    this.refuseSealed('$inc, $max or $min', [
      ...Object.keys(update.$inc ?? {}),
      ...Object.keys(update.$max ?? {}),
      ...Object.keys(update.$min ?? {}),
    ]);
    const $set = update.$set && (await this.sealSet(id, update.$set));

    return this.inner.update(id, { ...update, ...($set && { $set }) }, options);
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<Page<Doc>> {
    this.refuseSealed('a filter', Object.keys(filter));
    this.refuseSealed(
      'a sort',
      (options.sort ?? []).map(([field]) => field),
    );

    const page = await this.inner.find(filter, this.withTenant(options));
    const items = await Promise.all(page.items.map((doc) => this.open(doc)));

    return { ...page, items };
  }

  deleteMany(filter: Filter): Promise<number> {
    this.refuseSealed('a filter', Object.keys(filter));

    return this.inner.deleteMany(filter);
  }

  ensureIndexes(indexes: IndexSpec[]): Promise<void> {
    this.refuseSealed(
      'an index',
      indexes.flatMap((index) => index.fields.map(([field]) => field)),
    );

    return this.inner.ensureIndexes(indexes);
  }

  private async seal(doc: Doc): Promise<Doc> {
    const sealed: ReadDocument = { ...doc };

    for (const field of this.sealed) {
      const value = doc[field];
      if (value === undefined) continue;
      sealed[field] = await this.cipher.encrypt(
        this.address(tenantOf(doc, this.name), doc._id, field),
        value,
      );
    }

    return sealed as Doc;
  }

  /** Sealed fields may only be set whole, with the tenant beside them. */
  private async sealSet(
    id: string,
    $set: Record<string, FieldValue>,
  ): Promise<Record<string, FieldValue>> {
    const sealed = { ...$set };

    for (const [path, value] of Object.entries($set)) {
      const field = topLevel(path);
      if (!this.sealed.has(field)) continue;
      if (path !== field) {
        throw new EncryptionPolicyError(
          `${this.name}.${field} is encrypted: set it whole`,
        );
      }
      sealed[field] = await this.cipher.encrypt(
        this.address(tenantOf($set, this.name), id, field),
        value,
      );
    }

    return sealed;
  }

  private async open(doc: Doc): Promise<Doc> {
    const opened: ReadDocument = { ...doc };

    for (const field of this.sealed) {
      const value = doc[field];
      if (value === undefined) continue;
      // A value that should be sealed but is not is as wrong as a broken
      // ciphertext, and the tenant it belongs to must be known.
      if (typeof value !== 'string' || typeof doc.tenantId !== 'string') {
        throw new DecryptionError('malformed');
      }
      const address = this.address(doc.tenantId, doc._id, field);
      opened[field] = (await this.opened.open(address, value, () =>
        this.cipher.decrypt(address, value),
      )) as FieldValue;
    }

    return opened as Doc;
  }

  /** A sealed field opens only with its tenant: read that too. */
  private withTenant(options: FindOptions): FindOptions {
    const { fields } = options;
    if (!fields?.some((field) => this.sealed.has(field))) return options;

    return { ...options, fields: [...fields, 'tenantId'] };
  }

  private address(tenantId: string, id: string, field: string): FieldAddress {
    return { tenantId, record: `${this.name}/${id}`, field };
  }

  private refuseSealed(use: string, paths: readonly string[]): void {
    const sealed = paths.find((path) => this.sealed.has(topLevel(path)));
    if (sealed === undefined) return;

    throw new EncryptionPolicyError(
      `${this.name}.${sealed} is encrypted and cannot be used in ${use}`,
    );
  }
}

function topLevel(path: string): string {
  return path.split('.', 1)[0]!;
}

function tenantOf(
  values: Record<string, FieldValue | undefined>,
  collection: string,
): string {
  const tenantId = values.tenantId;
  if (typeof tenantId !== 'string' || tenantId === '') {
    throw new EncryptionPolicyError(
      `${collection} holds encrypted fields: each write of one needs tenantId`,
    );
  }

  return tenantId;
}

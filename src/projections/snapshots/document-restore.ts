import { HakkiriError } from '../../domain/hakkiri-error.js';
import { pagesOf } from '../../ports/read-pages.js';
import type { ReadDocument, ReadStore } from '../../ports/read-store.js';
import type { CopiedDocument } from './snapshot-vault.js';

/** A copy that cannot be put back as it was taken. */
export class SnapshotRestoreError extends HakkiriError {
  readonly code = 'snapshot_restore_failed';
}

const pageSize = 1000;

/**
 * Makes one tenant's documents those of a copy, writing only what
 * differs: a document the copy holds as it is now is left alone, so a
 * restore costs what changed since the copy, not the whole tenant.
 * Documents are compared as stored (sealed fields sealed), fields and
 * their order alike; a false difference costs a write, never a wrong
 * document. A document left alone keeps the last position applied to
 * it, which is right: its contents are those of every event up to
 * there, so the catch-up skipping those events changes nothing.
 */
export class DocumentRestore {
  private readonly copied = new Map<string, Set<string>>();
  /** Documents whose unique key is held by one the copy lacks, for now. */
  private readonly clashing: CopiedDocument[] = [];

  constructor(
    private readonly store: ReadStore,
    private readonly tenantId: string,
  ) {}

  async putBack(entry: CopiedDocument): Promise<void> {
    idsOf(this.copied, entry.collection).add(entry.document._id);
    if (!(await this.write(entry))) this.clashing.push(entry);
  }

  /**
   * Deletes the tenant's documents that the copy does not hold, then
   * writes those that clashed with them.
   */
  async finish(collections: readonly string[]): Promise<void> {
    for (const collection of collections) {
      await this.deleteOthers(collection);
    }

    for (const entry of this.clashing) {
      if (!(await this.write(entry))) {
        throw new SnapshotRestoreError(
          `A document of ${entry.collection} clashes with another of the copy`,
        );
      }
    }
  }

  /**
   * False when a unique index holds the document's key for another. One
   * that differs is deleted and inserted, not replaced: a store keeps
   * beside each document the last position applied to it, and the
   * catch-up must apply every event after the copy to it again.
   */
  private async write({ collection, document }: CopiedDocument) {
    const documents = this.store.collection(collection);
    const { _version: _, ...fields } = document;
    const current = await documents.get(document._id);

    if (current && sameFields(current, fields)) return true;
    if (current) await documents.deleteMany({ _id: document._id });
    return (await documents.insert(fields)) === 'inserted';
  }

  private async deleteOthers(collection: string): Promise<void> {
    const documents = this.store.collection(collection);
    const kept = this.copied.get(collection) ?? new Set<string>();
    const others: string[] = [];

    const tenant = { tenantId: this.tenantId };
    for await (const page of pagesOf(documents, tenant, pageSize)) {
      for (const { _id } of page) if (!kept.has(_id)) others.push(_id);
    }

    for (let at = 0; at < others.length; at += pageSize) {
      const ids = others.slice(at, at + pageSize);
      await documents.deleteMany({ _id: { $in: ids } });
    }
  }
}

function idsOf(ids: Map<string, Set<string>>, collection: string) {
  let set = ids.get(collection);
  if (!set) {
    set = new Set();
    ids.set(collection, set);
  }

  return set;
}

/** The copy's fields are the current ones, `_version` aside. */
function sameFields(current: ReadDocument, fields: object): boolean {
  const keys = Object.keys(current).filter((key) => key !== '_version');

  return sameKeys(keys, fields) && sameEntries(keys, current, fields);
}

/**
 * Equal JSON values, keys in the same order; no value is made to compare
 * them, since a restore compares every document of the tenant.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;

  const keys = Object.keys(a);
  return sameKeys(keys, b) && sameEntries(keys, a, b);
}

function sameKeys(keys: string[], other: object): boolean {
  const others = Object.keys(other);

  return (
    keys.length === others.length && keys.every((key, i) => others[i] === key)
  );
}

function sameEntries(keys: string[], a: object, b: object): boolean {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;

  return keys.every((key) => sameValue(left[key], right[key]));
}

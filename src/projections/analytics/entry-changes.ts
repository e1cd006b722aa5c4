import { HakkiriError } from '../../domain/hakkiri-error.js';

/** A read model lost track of what it holds; it needs a rebuild. */
export class AnalyticsInconsistencyError extends HakkiriError {
  readonly code = 'analytics_inconsistent';
}

/**
 * Additions and removals of entries of one document, netted: an entry
 * added and removed within one batch never reaches the store. Entries
 * are equal when their JSON is, so equal numbers pair up exactly.
 */
export class EntryChanges<Entry> {
  private readonly changes = new Map<string, { entry: Entry; n: number }>();

  change(entry: Entry, n: number): void {
    const key = JSON.stringify(entry);
    const known = this.changes.get(key);
    const sum = (known?.n ?? 0) + n;

    if (sum === 0) this.changes.delete(key);
    else this.changes.set(key, { entry, n: sum });
  }

  /** The same changes with each entry mapped. */
  map<Mapped>(mapping: (entry: Entry) => Mapped): EntryChanges<Mapped> {
    const mapped = new EntryChanges<Mapped>();
    for (const { entry, n } of this.changes.values()) {
      mapped.change(mapping(entry), n);
    }

    return mapped;
  }

  get empty(): boolean {
    return this.changes.size === 0;
  }

  /**
   * The stored entries with the changes applied. A removal of an entry
   * that is not there means the document and the items disagree.
   */
  applyTo(stored: Entry[], what: string): Entry[] {
    const result = [...stored];
    const keys = result.map((entry) => JSON.stringify(entry));

    for (const [key, { entry, n }] of this.changes) {
      for (let i = 0; i < n; i++) {
        result.push(entry);
        keys.push(key);
      }
      for (let i = 0; i < -n; i++) {
        const at = keys.indexOf(key);
        if (at < 0) {
          throw new AnalyticsInconsistencyError(
            `${what} lacks an entry it should hold`,
          );
        }
        result.splice(at, 1);
        keys.splice(at, 1);
      }
    }

    return result;
  }
}

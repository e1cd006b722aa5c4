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

  /** Each netted entry with its count: above zero added, below removed. */
  counted(): { entry: Entry; n: number }[] {
    return [...this.changes.values()];
  }

  /**
   * The stored entries with the changes applied, in no particular order:
   * every caller sorts. A removal of an entry that is not there means the
   * document and the items disagree. One pass over the stored entries,
   * whatever the number of removals: a batch may remove thousands from
   * one week's document.
   */
  applyTo(stored: readonly Entry[], what: string): Entry[] {
    const removals = new Map<string, number>();
    for (const [key, { n }] of this.changes) {
      if (n < 0) removals.set(key, -n);
    }

    const result =
      removals.size === 0
        ? [...stored]
        : stored.filter((entry) => !takeRemoval(removals, entry));
    if (removals.size > 0) {
      throw new AnalyticsInconsistencyError(
        `${what} lacks an entry it should hold`,
      );
    }

    for (const { entry, n } of this.changes.values()) {
      for (let i = 0; i < n; i++) result.push(entry);
    }

    return result;
  }
}

/** Whether the entry is one to remove; counts it off if so. */
function takeRemoval<Entry>(
  removals: Map<string, number>,
  entry: Entry,
): boolean {
  const key = JSON.stringify(entry);
  const left = removals.get(key);
  if (left === undefined) return false;

  if (left === 1) removals.delete(key);
  else removals.set(key, left - 1);
  return true;
}

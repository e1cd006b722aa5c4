import { pagesOf } from '../../ports/read-pages.js';
import type {
  Filter,
  ReadDocument,
  ReadStore,
} from '../../ports/read-store.js';
import { unpackNumbers } from './packed-numbers.js';

/** A week's document whose entries are packed numbers. */
interface PackedWeekDocument extends ReadDocument {
  entries: string;
}

interface Kept {
  version: number;
  entries: Float64Array;
}

/** Documents read whole at a time when some of a range changed. */
const pageSize = 50;

/**
 * The packed entries of week documents, decoded, and kept for as long as
 * each document stays at the version they were read at. A range of a
 * quarter reads a dozen weeks of thousands of entries each: reading and
 * decoding them was most of a duration query's work, while past weeks
 * seldom change. Every load still asks the store for the versions of the
 * range's documents, so an answer never rests on a week that has since
 * changed. Beyond the byte budget the least recently used weeks go.
 *
 * The arrays handed out are shared between queries: read them, never
 * write to them.
 */
export class WeekEntries {
  private readonly kept = new Map<string, Kept>();
  private bytes = 0;

  constructor(
    private readonly store: ReadStore,
    private readonly budgetBytes: number,
  ) {}

  /** The entries of each document of the collection the filter matches. */
  async load(collection: string, filter: Filter): Promise<Float64Array[]> {
    const current = await this.versions(collection, filter);
    const entries = new Map<string, Float64Array>();
    const stale: string[] = [];

    // What is still current is taken first: reading the rest may push it
    // out of the budget.
    for (const { id, key, version } of current) {
      const kept = this.kept.get(key);
      if (kept && kept.version === version) {
        entries.set(id, this.touch(key, kept));
      } else {
        stale.push(id);
      }
    }
    if (stale.length > 0) {
      const documents = this.store.collection<PackedWeekDocument>(collection);
      const changed = { _id: { $in: stale } };
      for await (const page of pagesOf(documents, changed, pageSize)) {
        for (const doc of page) {
          entries.set(doc._id, this.keep(keyOf(collection, doc._id), doc));
        }
      }
    }

    // A document deleted since its version was read is left out.
    return current.flatMap(({ id }) => {
      const found = entries.get(id);
      return found ? [found] : [];
    });
  }

  /** Ranges are bounded, so one read lists every document of one. */
  private async versions(collection: string, filter: Filter) {
    const page = await this.store
      .collection(collection)
      .find(filter, { fields: [] });

    return page.items.map(({ _id, _version }) => ({
      id: _id,
      key: keyOf(collection, _id),
      version: _version,
    }));
  }

  private keep(key: string, doc: PackedWeekDocument): Float64Array {
    const entries = unpackNumbers(doc.entries);
    this.forget(key);
    this.kept.set(key, { version: doc._version ?? 0, entries });
    this.bytes += entries.byteLength;

    for (const [oldest] of this.kept) {
      if (this.bytes <= this.budgetBytes) break;
      this.forget(oldest);
    }

    return entries;
  }

  /** The kept entries, marked as used last. */
  private touch(key: string, kept: Kept): Float64Array {
    this.kept.delete(key);
    this.kept.set(key, kept);

    return kept.entries;
  }

  private forget(key: string): void {
    const kept = this.kept.get(key);
    if (!kept) return;

    this.kept.delete(key);
    this.bytes -= kept.entries.byteLength;
  }
}

function keyOf(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
}

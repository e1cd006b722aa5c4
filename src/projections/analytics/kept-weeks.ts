import { pagesOf } from '../../ports/read-pages.js';
import type { ReadDocument, ReadStore } from '../../ports/read-store.js';

/** How one kind of week document is decoded, and what that costs to keep. */
export interface WeekDecoder<Doc extends ReadDocument, Value> {
  collection: string;
  decode(doc: Doc): Value;
  bytes(value: Value): number;
}

interface Kept {
  version: number | undefined;
  value: unknown;
  bytes: number;
}

/** Documents read whole at a time when some of a range changed. */
const pageSize = 50;

/**
 * Week documents of the analytics, decoded, and kept for as long as each
 * stays at the version it was read at. A range of a quarter reads a
 * dozen weeks of a thousand items each: reading and decoding them was
 * most of a duration query's work, while past weeks seldom change. Each
 * load still asks the store for the versions of the weeks it needs, so
 * no answer rests on a week that has since changed. Beyond the byte
 * budget the least recently used weeks go.
 *
 * What is handed out is shared between queries: read it, never change it.
 */
export class KeptWeeks {
  private readonly kept = new Map<string, Kept>();
  private bytes = 0;

  constructor(
    private readonly store: ReadStore,
    private readonly budgetBytes: number,
  ) {}

  /**
   * The decoded documents of these ids, in their order; an id with no
   * document is left out.
   */
  async load<Doc extends ReadDocument, Value>(
    decoder: WeekDecoder<Doc, Value>,
    ids: readonly string[],
  ): Promise<Value[]> {
    const { collection } = decoder;
    const versions = await this.versions(collection, ids);
    const found = new Map<string, Value>();
    const stale: string[] = [];

    // What still holds is taken first: reading the rest may push it out.
    for (const [id, version] of versions) {
      const key = keyOf(collection, id);
      const kept = this.kept.get(key);
      if (kept && kept.version === version) {
        found.set(id, this.touch(key, kept) as Value);
      } else {
        stale.push(id);
      }
    }
    if (stale.length > 0) {
      const documents = this.store.collection<Doc>(collection);
      const changed = { _id: { $in: stale } };
      for await (const page of pagesOf(documents, changed, pageSize)) {
        for (const doc of page) found.set(doc._id, this.keep(decoder, doc));
      }
    }

    return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
  }

  private async versions(collection: string, ids: readonly string[]) {
    const page = await this.store
      .collection(collection)
      .find({ _id: { $in: [...ids] } }, { fields: [] });

    return new Map(page.items.map(({ _id, _version }) => [_id, _version]));
  }

  private keep<Doc extends ReadDocument, Value>(
    decoder: WeekDecoder<Doc, Value>,
    doc: Doc,
  ): Value {
    const key = keyOf(decoder.collection, doc._id);
    const value = decoder.decode(doc);
    const bytes = decoder.bytes(value);
    this.forget(key);
    this.kept.set(key, { version: doc._version, value, bytes });
    this.bytes += bytes;

    for (const [oldest] of this.kept) {
      if (this.bytes <= this.budgetBytes) break;
      this.forget(oldest);
    }

    return value;
  }

  /** The kept value, marked as used last. */
  private touch(key: string, kept: Kept): unknown {
    this.kept.delete(key);
    this.kept.set(key, kept);

    return kept.value;
  }

  private forget(key: string): void {
    const kept = this.kept.get(key);
    if (!kept) return;

    this.kept.delete(key);
    this.bytes -= kept.bytes;
  }
}

function keyOf(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
}

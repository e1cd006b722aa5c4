import type {
  ExpectedVersion,
  ReadCollection,
  ReadDocument,
  ReadStore,
} from '../ports/read-store.js';

export const checkpointCollection = 'projection_checkpoints';

interface CheckpointDocument extends ReadDocument {
  /** A decimal string: documents cannot hold a bigint. */
  position: string;
}

/** Where a projection stands, and the document version that says so. */
export interface Checkpoint {
  position: bigint | undefined;
  version: ExpectedVersion;
}

export type CheckpointWrite =
  | { kind: 'stored'; checkpoint: Checkpoint }
  | { kind: 'taken-over'; expected: ExpectedVersion; actual: ExpectedVersion };

/**
 * One checkpoint document per projection, keyed by its name. Writes are
 * optimistic: a version other than the one this runner last wrote means
 * another runner owns the projection now.
 */
export class Checkpoints {
  private readonly documents: ReadCollection<CheckpointDocument>;

  constructor(store: ReadStore) {
    this.documents = store.collection<CheckpointDocument>(checkpointCollection);
  }

  async load(name: string): Promise<Checkpoint> {
    const doc = await this.documents.get(name);
    if (!doc || doc._version === undefined) {
      return { position: undefined, version: 'absent' };
    }

    return { position: BigInt(doc.position), version: doc._version };
  }

  async store(
    name: string,
    position: bigint,
    expected: ExpectedVersion,
  ): Promise<CheckpointWrite> {
    const result = await this.documents.replace(
      { _id: name, position: position.toString() },
      expected,
    );
    if (result.kind === 'version-mismatch') {
      return { kind: 'taken-over', expected, actual: result.actual };
    }

    return {
      kind: 'stored',
      checkpoint: { position, version: result.version },
    };
  }

  async remove(name: string): Promise<void> {
    await this.documents.deleteMany({ _id: name });
  }
}

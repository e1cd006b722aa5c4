import type { ReadStore } from '../../ports/read-store.js';
import { dimensionsCollection, generationIdOf } from './analytics-documents.js';
import type { DimensionsDocument } from './analytics-documents.js';

type Dimension = 'connections' | 'projects' | 'issueTypes' | 'statusNames';

const dimensions: Dimension[] = [
  'connections',
  'projects',
  'issueTypes',
  'statusNames',
];

/**
 * The numbers a generation's packed entries use for its connections,
 * projects, issue types and statuses. Numbers are only ever added, in the
 * order values are first met, so a number once written means one value.
 */
export class GenerationDimensions {
  private readonly numbers = new Map<Dimension, Map<string, number>>();
  private added = false;

  private constructor(
    readonly tenantId: string,
    readonly generation: number,
    private readonly values: Record<Dimension, string[]>,
  ) {
    for (const dimension of dimensions) {
      this.numbers.set(
        dimension,
        new Map(values[dimension].map((value, i) => [value, i])),
      );
    }
  }

  static async load(
    store: ReadStore,
    tenantId: string,
    generation: number,
  ): Promise<GenerationDimensions> {
    const doc = await store
      .collection<DimensionsDocument>(dimensionsCollection)
      .get(generationIdOf(tenantId, generation));

    return new GenerationDimensions(tenantId, generation, {
      connections: doc?.connections ?? [],
      projects: doc?.projects ?? [],
      issueTypes: doc?.issueTypes ?? [],
      statusNames: doc?.statusNames ?? [],
    });
  }

  /** The value's number; a new value gets the next one. */
  numberOf(dimension: Dimension, value: string): number {
    const numbers = this.numbers.get(dimension)!;
    let number = numbers.get(value);
    if (number === undefined) {
      number = this.values[dimension].length;
      this.values[dimension].push(value);
      numbers.set(value, number);
      this.added = true;
    }

    return number;
  }

  /** The value's number if it has one: a filter on an unknown value matches nothing. */
  find(dimension: Dimension, value: string): number | undefined {
    return this.numbers.get(dimension)!.get(value);
  }

  valueOf(dimension: Dimension, number: number): string {
    return this.values[dimension][number] ?? '';
  }

  /**
   * Writes the numbers if any were added. A write skipped as already
   * applied left the same numbers in place: a replay adds the same values
   * in the same order.
   */
  async save(store: ReadStore, position: bigint): Promise<void> {
    if (!this.added) return;

    await store.collection(dimensionsCollection).update(
      generationIdOf(this.tenantId, this.generation),
      {
        $set: {
          tenantId: this.tenantId,
          generation: this.generation,
          ...this.values,
        },
      },
      { upsert: true, position },
    );
    this.added = false;
  }
}

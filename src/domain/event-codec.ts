import { z } from 'zod';

import { HakkiriError } from './hakkiri-error.js';

/** A fact in the domain: a type name and the data that belongs to it. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/** How one event type is written today, and how it is checked on read. */
export interface EventDefinition<Type extends string, Data> {
  type: Type;
  schemaVersion: number;
  schema: z.ZodType<Data>;
  /**
   * The top-level fields that carry customer content or identity. They are
   * encrypted before the event leaves the process, and decrypted before
   * the schema checks it on the way back.
   */
  encrypted: readonly string[];
  /**
   * Still readable once its tenant's keys are deleted, when every other
   * event of the tenant is not: only the record of the deletion itself,
   * which carries nothing of the customer's.
   */
  outlivesTenantKeys: boolean;
}

export interface EventOptions<Data> {
  encrypted?: readonly (keyof Data & string)[];
  outlivesTenantKeys?: boolean;
}

export function defineEvent<Type extends string, Data>(
  type: Type,
  schemaVersion: number,
  schema: z.ZodType<Data>,
  { encrypted = [], outlivesTenantKeys = false }: EventOptions<Data> = {},
): EventDefinition<Type, Data> {
  return { type, schemaVersion, schema, encrypted, outlivesTenantKeys };
}

/** The union of the events a list of definitions describes. */
export type EventOf<
  Definitions extends readonly EventDefinition<string, unknown>[],
> = {
  [K in keyof Definitions]: Definitions[K] extends EventDefinition<
    infer Type,
    infer Data
  >
    ? DomainEvent<Type, Data>
    : never;
}[number];

/** The parts of a stored event the codec reads; a RecordedEvent fits. */
export interface StoredEvent {
  streamName: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
}

export const eventMetadataSchema = z.object({
  tenantId: z.string().min(1),
  correlationId: z.string().min(1),
  causationId: z.string().min(1),
  schemaVersion: z.number().int().positive(),
});

type EventMetadata = z.infer<typeof eventMetadataSchema>;

/**
 * The metadata schema's rules, checked by hand. Every event read passes
 * here, and zod's parse, which builds a checked copy, took about a tenth
 * of a projection's catch-up. This only accepts: what it refuses goes to
 * the schema, which stays the definition and names the failing paths. A
 * test holds the two to the same answers.
 */
export function isEventMetadata(value: unknown): value is EventMetadata {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }

  const { tenantId, correlationId, causationId, schemaVersion } =
    value as Record<string, unknown>;
  return (
    isFilledString(tenantId) &&
    isFilledString(correlationId) &&
    isFilledString(causationId) &&
    Number.isSafeInteger(schemaVersion) &&
    (schemaVersion as number) > 0
  );
}

function isFilledString(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

export type Decoded<Event> =
  { kind: 'event'; event: Event } | { kind: 'unknown-type'; type: string };

/** A stored event of a known type whose data does not fit its schema. */
export class EventSchemaError extends HakkiriError {
  readonly code = 'event_schema_mismatch';

  constructor(
    readonly streamName: string,
    readonly revision: bigint,
    readonly type: string,
    readonly paths: string[],
  ) {
    super(
      `Event ${revision} of stream ${streamName} (${type}) does not match ` +
        `its schema at ${paths.join(', ')}`,
    );
  }
}

/**
 * Validates events on their way out of the store. An unknown type is an
 * expected outcome (a newer writer, a retired type), so it is returned,
 * not thrown; data that breaks a known schema is corruption and throws.
 */
export class EventCodec<Event extends DomainEvent> {
  private readonly definitions: Map<string, EventDefinition<string, unknown>>;

  constructor(definitions: readonly EventDefinition<string, unknown>[]) {
    this.definitions = new Map(definitions.map((d) => [d.type, d]));
  }

  schemaVersion(type: Event['type']): number {
    return this.definitions.get(type)?.schemaVersion ?? 1;
  }

  decode(stored: StoredEvent): Decoded<Event> {
    const definition = this.definitions.get(stored.type);
    if (!definition) return { kind: 'unknown-type', type: stored.type };

    const { schemaVersion } = this.metadataOf(stored);
    if (schemaVersion !== definition.schemaVersion) {
      throw new EventSchemaError(
        stored.streamName,
        stored.revision,
        stored.type,
        [
          `metadata.schemaVersion (${schemaVersion}, ` +
            `expected ${definition.schemaVersion})`,
        ],
      );
    }

    const data = definition.schema.safeParse(stored.data);
    if (!data.success) throw this.mismatch(stored, data.error, 'data');

    const event = { type: stored.type, data: data.data } as Event;
    return { kind: 'event', event };
  }

  private metadataOf(stored: StoredEvent): EventMetadata {
    if (isEventMetadata(stored.metadata)) return stored.metadata;

    const metadata = eventMetadataSchema.safeParse(stored.metadata);
    if (!metadata.success) {
      throw this.mismatch(stored, metadata.error, 'metadata');
    }
    return metadata.data;
  }

  private mismatch(
    stored: StoredEvent,
    error: z.ZodError,
    root: string,
  ): EventSchemaError {
    const paths = error.issues.map((issue) =>
      [root, ...issue.path.map(String)].join('.'),
    );

    return new EventSchemaError(
      stored.streamName,
      stored.revision,
      stored.type,
      paths,
    );
  }
}

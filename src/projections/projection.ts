import type { DomainEvent, EventCodec } from '../domain/event-codec.js';
import { TenantKeysDeletedError } from '../ports/errors.js';
import type { RecordedEvent } from '../ports/event-store.js';
import type { IndexSpec, ReadStore } from '../ports/read-store.js';

/**
 * Applies one event to the read models. Every `update` it makes must pass
 * `{ position: recorded.position }`, so a replayed event is skipped by the
 * store. A handler changes each document at most once per event: the
 * second update of the same document at the same position is skipped.
 */
export type ProjectionHandler<Event> = (
  event: Event,
  recorded: RecordedEvent,
  store: ReadStore,
) => Promise<void>;

/** One handler per event type the projection cares about. */
export type ProjectionHandlers<Event extends DomainEvent> = {
  [Type in Event['type']]?: ProjectionHandler<Extract<Event, { type: Type }>>;
};

export interface ProjectionDefinition<Event extends DomainEvent> {
  /** Unique among projections; also the key of its checkpoint. */
  name: string;
  codec: EventCodec<Event>;
  handlers: ProjectionHandlers<Event>;
  /** The collections it owns: a rebuild empties all of them. */
  collections: readonly string[];
  /** Indexes to ensure at start, by collection. */
  indexes?: Readonly<Record<string, IndexSpec[]>>;
  /**
   * The fields stored encrypted, by collection. Documents of a collection
   * listed here carry their `tenantId`, whose key seals them.
   */
  encrypted?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The events of one batch, applied one by one and written when the batch
 * finishes, before its checkpoint is stored. A projection that keeps
 * the batch's changes in memory writes each document once per batch.
 */
export interface ProjectionBatch {
  /**
   * Decodes and applies one event of a handled type. Throws the codec's
   * EventSchemaError or whatever the handler throws; the events before it
   * still count.
   */
  apply(recorded: RecordedEvent): Promise<void>;
  /** Writes what the applied events changed; called once, always. */
  finish(): Promise<void>;
}

/**
 * A projection as the runner sees it, with its event types erased, so
 * projections over different event sets can run side by side.
 */
export interface Projection {
  readonly name: string;
  readonly collections: readonly string[];
  readonly indexes: Readonly<Record<string, IndexSpec[]>>;
  readonly encrypted: Readonly<Record<string, readonly string[]>>;
  /** The event types it has handlers for; it reads no others. */
  readonly types: ReadonlySet<string>;
  /**
   * Most events a batch of its should hold, where it gains from more
   * than the runner's default: one that rewrites whole documents once a
   * batch does that less often per event. A runner told a batch size
   * keeps to it.
   */
  readonly batchSize?: number;
  /** Starts a batch whose writes go through the given store. */
  openBatch(store: ReadStore): Promise<ProjectionBatch>;
}

export function defineProjection<Event extends DomainEvent>(
  definition: ProjectionDefinition<Event>,
): Projection {
  const handlers = definition.handlers as Record<
    string,
    ProjectionHandler<Event> | undefined
  >;
  const types = new Set(
    Object.keys(handlers).filter((type) => handlers[type] !== undefined),
  );

  return {
    name: definition.name,
    collections: definition.collections,
    indexes: definition.indexes ?? {},
    encrypted: definition.encrypted ?? {},
    types,
    // Each handler writes as it goes: nothing is left for the end.
    openBatch: async (store) => ({
      apply: (recorded) =>
        applyEvent(handlers, definition.codec, recorded, store),
      finish: async () => {},
    }),
  };
}

/**
 * Not async: an async wrapper would add a promise and a suspended frame
 * to every event, and a runner catching up applies millions of them. A
 * codec's throw becomes a rejection all the same.
 */
function applyEvent<Event extends DomainEvent>(
  handlers: Record<string, ProjectionHandler<Event> | undefined>,
  codec: EventCodec<Event>,
  recorded: RecordedEvent,
  store: ReadStore,
): Promise<void> {
  try {
    const handler = handlers[recorded.type];
    const decoded = codec.decode(recorded);
    // A handler keyed by a type its own codec lacks cannot be typed, so
    // this only happens with a hand-built codec; nothing to apply then.
    if (!handler || decoded.kind === 'unknown-type') return Promise.resolve();

    return handler(decoded.event, recorded, store).catch(keepUnlessShredded);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The tenant was shredded after its event was read: there is nothing left
 * to keep for it, and its deletion comes next.
 */
function keepUnlessShredded(error: unknown): void {
  if (!(error instanceof TenantKeysDeletedError)) throw error;
}

/** The encrypted fields of every collection the projections own. */
export function encryptedCollections(
  projections: readonly Projection[],
): Map<string, readonly string[]> {
  return new Map(
    projections.flatMap((projection) => Object.entries(projection.encrypted)),
  );
}

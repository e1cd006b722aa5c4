import type { Observable } from 'rxjs';

/**
 * What the writer believes about a stream before it appends. An exact
 * revision is the zero-based revision of the stream's last event.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** The revision a stream really had, as reported by a conflict. */
export type ActualRevision = 'no_stream' | bigint;

/** Every event carries who it belongs to and why it happened. */
export interface EventMetadata {
  tenantId: string;
  correlationId: string;
  causationId: string;
  schemaVersion: number;
}

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type EventData = { [key: string]: JsonValue };

/** An event on its way into the store. */
export interface NewEvent {
  /** A UUID. Choose it to make a retried append idempotent. */
  id?: string;
  type: string;
  data: EventData;
  metadata: EventMetadata;
}

/** An event as the store recorded it. */
export interface RecordedEvent {
  id: string;
  streamName: string;
  revision: bigint;
  /** Strictly increasing across the global log; gaps are allowed. */
  position: bigint;
  type: string;
  data: EventData;
  metadata: EventMetadata;
  recordedAt: Date;
}

export interface AppendResult {
  /** The revision of the last event now in the stream. */
  nextRevision: bigint;
  /** The global position of the last event appended. */
  position: bigint;
}

export type ReadDirection = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  direction?: ReadDirection;
  /** Inclusive. Defaults to the first event, or the last when backwards. */
  fromRevision?: bigint;
  maxCount?: number;
}

export type StreamReadResult =
  | { streamExists: false; events: [] }
  | { streamExists: true; events: RecordedEvent[] };

export interface ReadAllOptions {
  /**
   * Exclusive: the position of the last event the reader already has. It
   * must be a position this store handed out; EventStoreDB refuses others.
   */
  after?: bigint;
  maxCount?: number;
}

export interface SubscribeOptions {
  /** As ReadAllOptions.after; from the start of the log when absent. */
  after?: bigint;
  /**
   * The event types the subscriber reads. An event of another type may
   * then come as a `passed` message: its place in the log, without the
   * cost of reading (or opening) its data. Every type when absent.
   */
  types?: ReadonlySet<string>;
}

/**
 * What a subscription emits: events in global order, and, once per
 * subscription, a marker when it has delivered everything that was in the
 * log when it started. A subscription that reconnects does not repeat it.
 * Events the subscriber did not ask for may come as `passed`, in their
 * place in the order.
 */
export type SubscriptionMessage =
  | { kind: 'event'; event: RecordedEvent }
  | { kind: 'passed'; position: bigint }
  | { kind: 'caught-up'; position: bigint | undefined };

/**
 * The event store port. Streams are append-only; the global log orders
 * every event of every stream.
 */
export interface EventStore {
  /**
   * Appends all events or none. Throws WrongExpectedRevisionError when the
   * stream is not where `expected` says it is.
   */
  append(
    streamName: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult>;

  readStream(
    streamName: string,
    options?: ReadStreamOptions,
  ): Promise<StreamReadResult>;

  /** Reads the global log in order, paging as it goes. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;

  /**
   * The position of the newest event in the global log, or undefined when
   * the log has none. Projections measure their lag against it.
   */
  headPosition(): Promise<bigint | undefined>;

  /** Past events, then live ones. Unsubscribing stops it cleanly. */
  subscribe(options?: SubscribeOptions): Observable<SubscriptionMessage>;

  close(): Promise<void>;
}

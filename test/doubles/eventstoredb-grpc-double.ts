/**
 * A test double of EventStoreDB, not EventStoreDB. It serves the gRPC
 * services that `@eventstore/db-client` ships (Streams and ServerFeatures)
 * from memory, so the real client and the real adapter run over real gRPC
 * in CI without a server. It copies the server's documented behaviour:
 * expected-revision checks with idempotent retries, stream_not_found on
 * missing streams, one log position per event (commit equal to prepare, as
 * for every non-transactional write), $all reads both ways, and filtered
 * $all subscriptions with confirmation, checkpoints and caught_up.
 *
 * Only what the adapter needs is served. Delete, tombstone, BatchAppend,
 * stream subscriptions, links, ACLs and structured UUIDs answer
 * UNIMPLEMENTED or are absent.
 * Only test code may import this file.
 */
import { FrontDoor } from './eventstoredb/front-door.js';
import { serve } from './eventstoredb/grpc-server.js';
import {
  StreamsHandlers,
  type SubscriptionStart,
} from './eventstoredb/streams-handlers.js';
import { TransactionLog } from './eventstoredb/transaction-log.js';

export type { SubscriptionStart };

export interface EventStoreDbDouble {
  /** A single-node, insecure connection string for the real client. */
  readonly url: string;
  /**
   * Resets every connection and stops listening, as a node that crashed:
   * clients see UNAVAILABLE. The data is kept.
   */
  stop(): Promise<void>;
  /** Listens again on the same port, with the data it had. */
  start(): Promise<void>;
  /** Reads and subscriptions the server is still serving. */
  openReads(): number;
  /** Where each $all subscription asked to start, oldest first. */
  subscriptionStarts(): SubscriptionStart[];
  /** Stops for good. */
  close(): Promise<void>;
}

export interface EventStoreDbDoubleOptions {
  /**
   * Current servers answer an idempotent retry with the position of the
   * events already written; older ones with no position. Default true.
   */
  idempotentAppendPosition?: boolean;
}

export async function startEventStoreDbDouble(
  options: EventStoreDbDoubleOptions = {},
): Promise<EventStoreDbDouble> {
  const streams = new StreamsHandlers(
    new TransactionLog(),
    options.idempotentAppendPosition !== false,
  );
  const server = await serve(streams.implementation());
  const door = new FrontDoor(server.port);
  await door.open(0);

  return {
    url: `esdb://127.0.0.1:${door.port}?tls=false`,
    stop: async () => {
      await door.shut();
      await streams.readsEnded();
    },
    start: () => door.open(door.port),
    openReads: () => streams.reads.size,
    subscriptionStarts: () => [...streams.starts],
    close: async () => {
      await door.shut();
      server.instance.forceShutdown();
      await streams.readsEnded();
    },
  };
}

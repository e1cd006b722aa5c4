import { status } from '@grpc/grpc-js';

import { exactPosition } from './all-position.js';
import { subscribeToAll } from './all-subscription.js';
import {
  ReadDirection,
  type ReadCall,
  type ReadOptions,
} from './generated-protocol.js';
import { eventResponse, send, streamNotFound } from './read-responses.js';
import { RpcFailure } from './rpc-failure.js';
import { streamNameOf } from './stream-identifier.js';
import type { StoredEvent, TransactionLog } from './transaction-log.js';

/**
 * Streams.Read of the EventStoreDB test double: a read of one stream or of
 * $all, either way, or a subscription to $all. It ends when the read is
 * done, or, for a subscription, when `signal` says the call has closed.
 */
export async function serveRead(
  log: TransactionLog,
  call: ReadCall,
  signal: AbortSignal,
): Promise<void> {
  const options = call.request.getOptions();
  if (!options) throw new RpcFailure(status.INVALID_ARGUMENT, 'No options');

  if (options.hasSubscription()) {
    if (!options.hasAll()) {
      throw new RpcFailure(status.UNIMPLEMENTED, 'Stream subscriptions');
    }
    await subscribeToAll(log, call, options, signal);
    return;
  }

  const events = options.hasStream()
    ? readStream(log, options)
    : readAll(log, options);
  const fromAll = !options.hasStream();
  for (const event of events ?? []) {
    await send(call, eventResponse(event, fromAll), signal);
  }
  if (events === undefined) await send(call, streamNotFound(options), signal);

  call.end();
}

function readStream(
  log: TransactionLog,
  options: ReadOptions,
): StoredEvent[] | undefined {
  const streamOptions = options.getStream()!;
  const stream = log.stream(streamNameOf(streamOptions.getStreamIdentifier()));
  if (stream === undefined) return undefined;

  const count = Number(options.getCount());
  const last = BigInt(stream.length) - 1n;
  const from = streamOptions.hasRevision()
    ? BigInt(streamOptions.getRevision())
    : streamOptions.hasEnd()
      ? last
      : 0n;

  if (options.getReadDirection() === ReadDirection.BACKWARDS) {
    const upTo = from > last ? last : from;
    return stream
      .slice(0, Number(upTo + 1n))
      .reverse()
      .slice(0, count);
  }

  return stream.slice(Number(from), Number(from) + count);
}

function readAll(log: TransactionLog, options: ReadOptions): StoredEvent[] {
  const all = options.getAll()!;
  const count = Number(options.getCount());
  const backwards = options.getReadDirection() === ReadDirection.BACKWARDS;
  // An index into the log: forwards reads from it, backwards reads below it.
  const index = all.hasPosition()
    ? log.indexFrom(exactPosition(log, all.getPosition()!))
    : all.hasStart()
      ? 0
      : log.events.length;

  if (backwards) {
    return log.events.slice(Math.max(0, index - count), index).reverse();
  }

  return log.events.slice(index, index + count);
}

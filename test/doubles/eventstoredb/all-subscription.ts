import { randomUUID } from 'node:crypto';
import { once } from 'node:events';

import type * as streams from '@eventstore/db-client/generated/streams_pb.js';

import { exactPosition } from './all-position.js';
import {
  ReadResp,
  type ReadCall,
  type ReadOptions,
} from './generated-protocol.js';
import { checkpoint, eventResponse, send } from './read-responses.js';
import type { StoredEvent, TransactionLog } from './transaction-log.js';

type FilterOptions = streams.ReadReq.Options.FilterOptions;

/**
 * A subscription to $all on the EventStoreDB test double: a confirmation
 * first, then the matching events, and caught_up once, when it reaches the
 * end of the log; a filtered one also sends a checkpoint every so many
 * events considered. It then waits for appends until `signal` says the
 * call has closed.
 */
export async function subscribeToAll(
  log: TransactionLog,
  call: ReadCall,
  options: ReadOptions,
  signal: AbortSignal,
): Promise<void> {
  const all = options.getAll()!;
  const matches = filterOf(options);
  const checkpointEvery = checkpointInterval(options.getFilter());
  // From a position, the server reads the event there and starts after it.
  let cursor = all.hasStart()
    ? 0
    : all.hasEnd()
      ? log.events.length
      : log.indexFrom(exactPosition(log, all.getPosition()!)) + 1;
  let considered = 0;
  let caughtUp = false;

  const confirmation = new ReadResp.SubscriptionConfirmation();
  confirmation.setSubscriptionId(randomUUID());
  await send(call, new ReadResp().setConfirmation(confirmation), signal);

  while (!signal.aborted) {
    const event = log.events[cursor];
    if (event !== undefined) {
      cursor += 1;
      considered += 1;
      if (matches(event)) {
        await send(call, eventResponse(event, true), signal);
      }
      if (considered >= checkpointEvery) {
        considered = 0;
        await send(call, checkpoint(event), signal);
      }
    } else if (!caughtUp) {
      caughtUp = true;
      await send(
        call,
        new ReadResp().setCaughtUp(new ReadResp.CaughtUp()),
        signal,
      );
    } else {
      await once(log.appended, 'append', { signal }).catch(() => undefined);
    }
  }
}

// The default search window of a filtered read is 32 events.
function checkpointInterval(filter: FilterOptions | undefined): number {
  if (!filter) return Number.POSITIVE_INFINITY;
  const window = filter.hasMax() ? filter.getMax() : 32;

  return window * Math.max(1, filter.getCheckpointintervalmultiplier());
}

function filterOf(options: ReadOptions): (event: StoredEvent) => boolean {
  const filter = options.getFilter();
  if (!filter) return () => true;

  const byType = filter.hasEventType();
  const expression = byType
    ? filter.getEventType()!
    : filter.getStreamIdentifier()!;
  const regex = expression.getRegex();
  const prefixes = expression.getPrefixList();
  const pattern = regex === '' ? undefined : new RegExp(regex);

  return (event) => {
    const subject = byType ? event.type : event.streamName;
    if (pattern) return pattern.test(subject);

    return prefixes.some((prefix) => subject.startsWith(prefix));
  };
}

import { z } from 'zod';

import { defineEvent, EventCodec } from '../../../src/domain/event-codec.js';
import type { EventOf } from '../../../src/domain/event-codec.js';
import type { EventStore, NewEvent } from '../../../src/ports/event-store.js';
import { pause } from '../../support/waiting.js';

const counterEvents = [
  defineEvent(
    'CounterTicked',
    1,
    z.object({ counterId: z.string().min(1), value: z.number().int() }),
  ),
] as const;

export type CounterEvent = EventOf<typeof counterEvents>;

export const counterCodec = new EventCodec<CounterEvent>(counterEvents);

/** How many events the log gets, spread evenly over how many counters. */
export interface LogSize {
  events: number;
  counters: number;
}

const metadata = {
  tenantId: 'crash-safety',
  correlationId: 'crash-safety',
  causationId: 'crash-safety',
  schemaVersion: 1,
};

/** Events per append: large appends fill a log of this size quickly. */
const eventsPerAppend = 1000;

/**
 * The n-th event of the log. Its value jumps about, so that `$max`,
 * `$min` and a last `$set` each end somewhere different.
 */
export function counterTick(n: number, size: LogSize): NewEvent {
  const counter = n % size.counters;

  return {
    type: 'CounterTicked',
    data: { counterId: counterId(counter), value: (n * 7919) % 100_003 },
    metadata,
  };
}

function counterId(counter: number): string {
  return `counter-${counter.toString().padStart(6, '0')}`;
}

/**
 * Appends events `from` (inclusive) to `to` (exclusive), a thousand per
 * append, optionally pausing between appends so a reader runs alongside.
 * Resolves with the position of the last event appended.
 */
export async function appendTicks(
  store: EventStore,
  size: LogSize,
  range: { from: number; to: number; pauseMs?: number },
): Promise<bigint> {
  let last = 0n;

  for (let start = range.from; start < range.to; start += eventsPerAppend) {
    const end = Math.min(start + eventsPerAppend, range.to);
    const events = [];
    for (let n = start; n < end; n++) events.push(counterTick(n, size));

    // One stream per append: each is new, so none can conflict.
    const stream = `ticks-${start}`;
    ({ position: last } = await store.append(stream, events, 'no_stream'));
    if (range.pauseMs) await pause(range.pauseMs);
  }

  return last;
}

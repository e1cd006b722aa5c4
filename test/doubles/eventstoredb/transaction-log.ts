import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';

/** An event as the EventStoreDB test double stores it. */
export interface StoredEvent {
  streamName: string;
  revision: bigint;
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
  position: bigint;
  createdTicks: bigint;
}

export type Expected = 'any' | 'no_stream' | 'stream_exists' | bigint;

/** What an append with an expected revision comes to. */
export type Decision =
  | { kind: 'write' }
  | { kind: 'idempotent'; last: StoredEvent }
  | { kind: 'conflict' };

export interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
}

// A record's size on disk, roughly; it only makes gaps between positions.
const recordOverhead = 80n;
const ticksPerMillisecond = 10_000n;

/**
 * The data of the EventStoreDB test double: one log of events in position
 * order, indexed by stream, with expected-revision checks that tell an
 * idempotent retry from a conflict. The log opens with a non-event record
 * and the system events a fresh node writes, so readers meet what they
 * meet on a real server.
 */
export class TransactionLog {
  readonly events: StoredEvent[] = [];
  readonly appended = new EventEmitter().setMaxListeners(0);
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly boundaries = new Set<bigint>([0n]);
  private end = 256n;

  constructor() {
    this.boundaries.add(this.end);
    this.write('$epoch-information', [systemEvent('$epoch-information')]);
    this.write('$projections-$all', [systemEvent('$ProjectionsInitialized')]);
  }

  stream(name: string): StoredEvent[] | undefined {
    return this.streams.get(name);
  }

  /** Whether a position starts a record or is the end of the log. */
  isBoundary(position: bigint): boolean {
    return this.boundaries.has(position);
  }

  /** Index of the first event at or after a position. */
  indexFrom(position: bigint): number {
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.events[middle]!.position < position) low = middle + 1;
      else high = middle;
    }

    return low;
  }

  decide(name: string, expected: Expected, ids: string[]): Decision {
    const stream = this.streams.get(name) ?? [];
    if (expected === 'stream_exists' && stream.length === 0) {
      return { kind: 'conflict' };
    }
    if (expected === 'any' || expected === 'stream_exists') {
      return retriedAnywhere(stream, ids);
    }

    const current = BigInt(stream.length) - 1n;
    const revision = expected === 'no_stream' ? -1n : expected;
    if (revision === current) return { kind: 'write' };
    if (revision > current || ids.length === 0) return { kind: 'conflict' };

    return retriedAt(stream, revision, ids);
  }

  write(name: string, proposed: ProposedEvent[]): StoredEvent[] {
    const stream = this.streams.get(name) ?? [];
    this.streams.set(name, stream);
    const createdTicks = BigInt(Date.now()) * ticksPerMillisecond;

    const written = proposed.map((event) => {
      const stored = {
        ...event,
        streamName: name,
        revision: BigInt(stream.length),
        position: this.end,
        createdTicks,
      };
      stream.push(stored);
      this.events.push(stored);
      this.end += recordSize(stored);
      this.boundaries.add(this.end);
      return stored;
    });
    if (written.length > 0) this.appended.emit('append');

    return written;
  }
}

function systemEvent(type: string): ProposedEvent {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));

  return {
    id: randomUUID(),
    type,
    contentType: 'application/json',
    data: json({ node: 'double' }),
    metadata: json({}),
  };
}

function recordSize(event: StoredEvent): bigint {
  const bytes =
    Buffer.byteLength(event.streamName) +
    Buffer.byteLength(event.type) +
    event.data.length +
    event.metadata.length;

  return recordOverhead + BigInt(bytes);
}

// With "any", a write whose first id is already in the stream is a retry.
function retriedAnywhere(stream: StoredEvent[], ids: string[]): Decision {
  const found = ids.map((id) => stream.findLast((event) => event.id === id));
  if (found.length === 0 || found[0] === undefined) return { kind: 'write' };
  if (found.some((event) => event === undefined)) return { kind: 'conflict' };

  return { kind: 'idempotent', last: found[found.length - 1]! };
}

// Behind the stream, a write is a retry only if the same ids follow it.
function retriedAt(
  stream: StoredEvent[],
  revision: bigint,
  ids: string[],
): Decision {
  const following = stream.slice(Number(revision + 1n));
  const same = ids.every((id, offset) => following[offset]?.id === id);
  if (!same) return { kind: 'conflict' };

  return { kind: 'idempotent', last: following[ids.length - 1]! };
}

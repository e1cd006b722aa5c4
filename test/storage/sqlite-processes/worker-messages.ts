import type { ExpectedRevision } from '../../../src/ports/event-store.js';

/**
 * What the test process and its children say to each other over IPC. The
 * children are forked with advanced serialization, so bigints travel as
 * they are.
 */

/** One event an append acknowledged: it must survive whatever follows. */
export interface AckedEvent {
  id: string;
  streamName: string;
  revision: bigint;
}

export type WorkerCommand =
  /** One event at a time, `gapMs` apart, each stamped with when it left. */
  | { kind: 'append-spaced'; streamName: string; count: number; gapMs: number }
  /** From `startAt`, `count` events spread over streams, several at once. */
  | {
      kind: 'append-many';
      streamNames: string[];
      count: number;
      startAt: number;
    }
  | { kind: 'read-revision'; streamName: string }
  /** One event with an exact expectation, sent at `startAt`. */
  | {
      kind: 'append-expecting';
      streamName: string;
      expected: ExpectedRevision;
      startAt: number;
    };

export type WorkerReply =
  | { kind: 'ready' }
  | { kind: 'appended'; events: AckedEvent[] }
  | { kind: 'revision'; revision: bigint | 'no_stream' }
  | { kind: 'won'; id: string; nextRevision: bigint }
  | {
      kind: 'conflict';
      expected: ExpectedRevision;
      actual: bigint | 'no_stream';
    }
  | { kind: 'failed'; message: string };

import { setTimeout as delay } from 'node:timers/promises';

import { silentLogger } from '../../../src/logger.js';
import { WrongExpectedRevisionError } from '../../../src/ports/errors.js';
import type { ExpectedRevision } from '../../../src/ports/event-store.js';
import { SqliteEventStore } from '../../../src/storage/sqlite/sqlite-event-store.js';
import { ackedEvents, appendAcrossStreams, testEvent } from './test-appends.js';
import type {
  AckedEvent,
  WorkerCommand,
  WorkerReply,
} from './worker-messages.js';

// A second process on the same data folder, as the CLI would be beside the
// server. It does what the test process tells it, one command at a time.
const file = process.argv[2];
if (file === undefined || process.send === undefined) {
  throw new Error('Usage: fork store-worker.ts <file> with an IPC channel');
}

const store = new SqliteEventStore({ file, logger: silentLogger() });

function reply(message: WorkerReply): void {
  process.send!(message);
}

async function waitUntil(startAt: number): Promise<void> {
  await delay(Math.max(0, startAt - Date.now()));
}

async function appendSpaced(
  streamName: string,
  count: number,
  gapMs: number,
): Promise<WorkerReply> {
  const acked: AckedEvent[] = [];

  for (let n = 0; n < count; n++) {
    const events = [testEvent('Sent', { n, sentAt: Date.now() })];
    const result = await store.append(streamName, events, 'any');
    acked.push(...ackedEvents(streamName, events, result));

    await delay(gapMs);
  }

  return { kind: 'appended', events: acked };
}

async function readRevision(streamName: string): Promise<WorkerReply> {
  const { events } = await store.readStream(streamName, {
    direction: 'backwards',
    maxCount: 1,
  });

  return { kind: 'revision', revision: events[0]?.revision ?? 'no_stream' };
}

async function appendExpecting(
  streamName: string,
  expected: ExpectedRevision,
  startAt: number,
): Promise<WorkerReply> {
  const event = testEvent('Raced', { pid: process.pid });
  await waitUntil(startAt);

  try {
    const { nextRevision } = await store.append(streamName, [event], expected);
    return { kind: 'won', id: event.id!, nextRevision };
  } catch (error) {
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
    return { kind: 'conflict', expected: error.expected, actual: error.actual };
  }
}

async function handle(command: WorkerCommand): Promise<WorkerReply> {
  switch (command.kind) {
    case 'append-spaced':
      return appendSpaced(command.streamName, command.count, command.gapMs);
    case 'append-many': {
      await waitUntil(command.startAt);
      const acked = await appendAcrossStreams(
        store,
        command.streamNames,
        command.count,
      );
      return { kind: 'appended', events: acked };
    }
    case 'read-revision':
      return readRevision(command.streamName);
    case 'append-expecting':
      return appendExpecting(
        command.streamName,
        command.expected,
        command.startAt,
      );
  }
}

process.on('message', (command: WorkerCommand) => {
  handle(command).then(reply, (error: unknown) =>
    reply({ kind: 'failed', message: String(error) }),
  );
});

// Without its test process there is nobody to answer to: do not linger.
process.on('disconnect', () => {
  void store.close().finally(() => process.exit(0));
});

reply({ kind: 'ready' });

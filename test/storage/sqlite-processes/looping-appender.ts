import { randomUUID } from 'node:crypto';

import { silentLogger } from '../../../src/logger.js';
import type { ExpectedRevision } from '../../../src/ports/event-store.js';
import { SqliteEventStore } from '../../../src/storage/sqlite/sqlite-event-store.js';
import { ackedEvents, testEvent } from './test-appends.js';
import type { WorkerReply } from './worker-messages.js';

// Appends until it is killed, and reports each append only once the store
// has acknowledged it: the test process kills it with SIGKILL and then
// looks for every reported event in the file.
const file = process.argv[2];
if (file === undefined || process.send === undefined) {
  throw new Error('Usage: fork looping-appender.ts <file> with an IPC channel');
}

const store = new SqliteEventStore({ file, logger: silentLogger() });
const groupStreams = ['group-0', 'group-1', 'group-2', 'group-3'];
const revisions = new Map<string, ExpectedRevision>();

function reply(message: WorkerReply): void {
  process.send!(message);
}

/**
 * Each stream of this process has one writer at a time, so it can append
 * with the exact revision it expects. A killed predecessor may have left
 * appends it never reported, hence the read at the start.
 */
async function readRevisions(streams: readonly string[]): Promise<void> {
  for (const streamName of streams) {
    const { events } = await store.readStream(streamName, {
      direction: 'backwards',
      maxCount: 1,
    });
    revisions.set(streamName, events[0]?.revision ?? 'no_stream');
  }
}

/** A batch of events that must be stored all together or not at all. */
async function appendBatch(
  streamName: string,
  size: number,
  expected: ExpectedRevision,
): Promise<void> {
  const batch = randomUUID();
  const events = Array.from({ length: size }, (_, n) =>
    testEvent('Batched', { batch, size, n }),
  );

  const result = await store.append(streamName, events, expected);
  if (expected !== 'any') revisions.set(streamName, result.nextRevision);

  reply({ kind: 'appended', events: ackedEvents(streamName, events, result) });
}

function exact(streamName: string): ExpectedRevision {
  return revisions.get(streamName)!;
}

/**
 * Every third step is a lone append; the others start several appends in
 * one turn, so they share a group commit, two of them on one stream.
 */
async function step(n: number): Promise<void> {
  if (n % 3 === 0) {
    await appendBatch('single', 1, exact('single'));
    return;
  }

  await Promise.all([
    ...groupStreams.map((streamName, i) =>
      appendBatch(streamName, 1 + ((n + i) % 3), exact(streamName)),
    ),
    appendBatch('shared', 2, 'any'),
    appendBatch('shared', 1, 'any'),
  ]);
}

async function appendForever(): Promise<void> {
  await readRevisions(['single', ...groupStreams]);

  for (let n = 0; ; n++) await step(n);
}

process.on('disconnect', () => process.exit(0));

appendForever().catch((error: unknown) => {
  reply({ kind: 'failed', message: String(error) });
  process.exitCode = 1;
});

import fs from 'node:fs';

import { silentLogger } from '../../../src/logger.js';
import type { RecordedEvent } from '../../../src/ports/event-store.js';
import { ProjectionRunner } from '../../../src/projections/projection-runner.js';
import type { ProjectionStatus } from '../../../src/projections/projection-status.js';
import { SqliteEventStore } from '../../../src/storage/sqlite/sqlite-event-store.js';
import { counterProjection } from './counter-projection.js';
import { openReadStore } from './read-store-targets.js';
import type {
  RunnerChildOptions,
  RunnerReport,
  StopCommand,
} from './runner-messages.js';

// A projection runner on its own, as the server would run it, for the test
// process to kill at will. It reports how far it got every few
// milliseconds, and stops cleanly only when told to.
const [optionsJson] = process.argv.slice(2);
if (optionsJson === undefined || process.send === undefined) {
  throw new Error('Usage: fork runner-child.ts <options as JSON>');
}
const options = JSON.parse(optionsJson) as RunnerChildOptions;

const reportEveryMs = 20;

const eventStore = new SqliteEventStore({
  file: options.eventsFile,
  logger: silentLogger(),
});
const readStore = await openReadStore(options.readStore);

// A SQLite batch runs without yielding, so reports come between batches
// only. The progress file tells how far the child got when it died: the
// kernel holds each write, whatever happens to the process after it.
const progress = fs.openSync(options.progressFile, 'w');
let lastApplied: bigint | undefined;
const projection = counterProjection((recorded: RecordedEvent) => {
  lastApplied = recorded.position;
  fs.writeSync(progress, lastApplied.toString().padStart(20), 0);
}, options.applyDelayMs);
const runner = new ProjectionRunner({
  eventStore,
  readStore,
  logger: silentLogger(),
  projections: [projection],
  batchSize: options.batchSize,
});

function status(): ProjectionStatus {
  return runner.status()[0]!;
}

function position(checkpoint: string | null): bigint | undefined {
  return checkpoint === null ? undefined : BigInt(checkpoint);
}

await runner.start();
const startedFrom = position(status().checkpoint);

function report(): RunnerReport {
  const { state, checkpoint, lastError } = status();

  return {
    kind: 'report',
    state,
    startedFrom,
    checkpoint: position(checkpoint),
    lastApplied,
    ...(lastError ? { failure: lastError.message } : {}),
  };
}

const reporting = setInterval(() => process.send!(report()), reportEveryMs);
process.send(report());

process.on('message', (command: StopCommand) => {
  if (command.kind !== 'stop') return;

  clearInterval(reporting);
  void (async () => {
    await runner.stop();
    await readStore.close();
    await eventStore.close();
    // The last report says 'stopped'; exit once it is on its way.
    process.send!(report(), () => process.exit(0));
  })();
});

// Without its test process nobody will stop or kill it: do not linger.
process.on('disconnect', () => process.exit(0));

import { silentLogger } from '../../../src/logger.js';
import type { RecordedEvent } from '../../../src/ports/event-store.js';
import { ProjectionRunner } from '../../../src/projections/projection-runner.js';
import type { ProjectionStatus } from '../../../src/projections/projection-status.js';
import { SqliteEventStore } from '../../../src/storage/sqlite/sqlite-event-store.js';
import { counterProjection } from './counter-projection.js';
import { openReadStore } from './read-store-targets.js';
import type {
  ReadStoreSpec,
  RunnerMessage,
  StopCommand,
} from './runner-messages.js';

// A projection runner on its own, as the server would run it, for the test
// process to kill at will. It reports how far it got every few
// milliseconds, and stops cleanly only when told to.
const [eventsFile, specJson] = process.argv.slice(2);
if (!eventsFile || !specJson || process.send === undefined) {
  throw new Error('Usage: fork runner-child.ts <events file> <store spec>');
}

const reportEveryMs = 20;

const eventStore = new SqliteEventStore({
  file: eventsFile,
  logger: silentLogger(),
});
const readStore = await openReadStore(JSON.parse(specJson) as ReadStoreSpec);

let lastApplied: bigint | undefined;
const projection = counterProjection((recorded: RecordedEvent) => {
  lastApplied = recorded.position;
});
const runner = new ProjectionRunner({
  eventStore,
  readStore,
  logger: silentLogger(),
  projections: [projection],
});

function send(message: RunnerMessage): void {
  process.send!(message);
}

function status(): ProjectionStatus {
  return runner.status()[0]!;
}

function position(checkpoint: string | null): bigint | undefined {
  return checkpoint === null ? undefined : BigInt(checkpoint);
}

await runner.start();
const startedFrom = position(status().checkpoint);

function report(): void {
  const { state, checkpoint, lastError } = status();
  send({
    kind: 'report',
    state,
    startedFrom,
    checkpoint: position(checkpoint),
    lastApplied,
    ...(lastError ? { failure: lastError.message } : {}),
  });
}

const reporting = setInterval(report, reportEveryMs);
report();

process.on('message', (command: StopCommand) => {
  if (command.kind !== 'stop') return;

  clearInterval(reporting);
  void (async () => {
    await runner.stop();
    report();
    await readStore.close();
    await eventStore.close();
    send({ kind: 'stopped' });
    process.disconnect();
  })();
});

// Without its test process nobody will stop or kill it: do not linger.
process.on('disconnect', () => process.exit(0));

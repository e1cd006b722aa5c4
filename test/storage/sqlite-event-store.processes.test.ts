import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { expect } from 'chai';
import type { Observable } from 'rxjs';
import {
  Subject,
  filter,
  firstValueFrom,
  map,
  take,
  takeUntil,
  toArray,
} from 'rxjs';

import { silentLogger } from '../../src/logger.js';
import type { SubscriptionMessage } from '../../src/ports/event-store.js';
import { SqliteEventStore } from '../../src/storage/sqlite/sqlite-event-store.js';
import {
  ForkedProcesses,
  StoreWorker,
  exitOf,
  killHard,
  loopingAppenderScript,
} from './sqlite-processes/forked-processes.js';
import {
  lostAcks,
  partialBatches,
  positionsOutOfOrder,
  readWholeLog,
  revisionGaps,
} from './sqlite-processes/log-invariants.js';
import {
  appendAcrossStreams,
  testEvent,
} from './sqlite-processes/test-appends.js';
import type {
  AckedEvent,
  WorkerReply,
} from './sqlite-processes/worker-messages.js';

function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

/** Starts an appender, kills it shortly after `target` acks, returns them. */
async function appendUntilKilled(
  processes: ForkedProcesses,
  file: string,
  target: number,
): Promise<AckedEvent[]> {
  const child = processes.start(loopingAppenderScript, [file]);
  const acked: AckedEvent[] = [];
  const exit = exitOf(child);

  await new Promise<void>((resolve, reject) => {
    child.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'failed') reject(new Error(reply.message));
      if (reply.kind === 'appended') acked.push(...reply.events);
      if (acked.length >= target) resolve();
    });
    void exit.then(() => reject(new Error('The appender stopped by itself')));
  });

  await delay(randomInt(0, 20));
  const { signal } = await killHard(child);
  expect(signal).to.equal('SIGKILL');

  return [...acked];
}

function timeOfArrival(messages: Observable<SubscriptionMessage>) {
  return messages.pipe(
    filter((message) => message.kind === 'event'),
    map(({ event }) => ({ event, receivedAt: Date.now() })),
  );
}

describe('SqliteEventStore shared by several processes', function () {
  this.timeout(20_000);

  const processes = new ForkedProcesses();
  const stores: SqliteEventStore[] = [];
  // Ends the subscriptions of a failed test before their store closes.
  const testEnded = new Subject<void>();
  let dir: string;
  let file: string;

  function openStore(): SqliteEventStore {
    const store = new SqliteEventStore({ file, logger: silentLogger() });
    stores.push(store);

    return store;
  }

  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hakkiri-processes-'));
    file = path.join(dir, 'events.sqlite');
  });

  afterEach(async function () {
    testEnded.next();
    await processes.killAll();
    for (const store of stores.splice(0)) await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged append when the writer is killed -9', async function () {
    const acked: AckedEvent[] = [];
    for (let kill = 0; kill < 3; kill++) {
      const target = randomInt(50, 250);
      acked.push(...(await appendUntilKilled(processes, file, target)));
    }

    const log = await readWholeLog(openStore().readAll());

    expect(acked.length).to.be.at.least(150);
    expect(lostAcks(acked, log)).to.deep.equal([]);
    expect(revisionGaps(log)).to.deep.equal([]);
    expect(partialBatches(log)).to.deep.equal([]);
    expect(positionsOutOfOrder(log)).to.deep.equal([]);
  });

  it("delivers another process's appends to a subscription within a second", async function () {
    const server = openStore();
    const count = 10;
    const arrivals = firstValueFrom(
      timeOfArrival(server.subscribe()).pipe(
        take(count),
        takeUntil(testEnded),
        toArray(),
      ),
    );

    const cli = await StoreWorker.start(processes, file);
    const reply = await cli.send({
      kind: 'append-spaced',
      streamName: 'cli-1',
      count,
      gapMs: 120,
    });
    const received = await arrivals;

    expect(reply.kind).to.equal('appended');
    expect(received.map(({ event }) => event.id)).to.deep.equal(
      reply.kind === 'appended' ? reply.events.map(({ id }) => id) : [],
    );
    for (const { event, receivedAt } of received) {
      expect(receivedAt - Number(event.data.sentAt)).to.be.below(1000);
    }
  });

  it('keeps concurrent appends of two processes, in one increasing order', async function () {
    const server = openStore();
    const count = 300;
    const seen = firstValueFrom(
      server.subscribe().pipe(
        filter((message) => message.kind === 'event'),
        map(({ event }) => event),
        take(2 * count),
        takeUntil(testEnded),
        toArray(),
      ),
    );
    const cli = await StoreWorker.start(processes, file);

    const startAt = Date.now() + 200;
    const [cliReply, serverAcks] = await Promise.all([
      cli.send({
        kind: 'append-many',
        streamNames: ['cli-0', 'cli-1', 'cli-2'],
        count,
        startAt,
      }),
      delay(startAt - Date.now()).then(() =>
        appendAcrossStreams(
          server,
          ['server-0', 'server-1', 'server-2'],
          count,
        ),
      ),
    ]);
    const cliAcks = cliReply.kind === 'appended' ? cliReply.events : [];
    const log = await readWholeLog(server.readAll());

    expect(cliAcks).to.have.length(count);
    expect(log).to.have.length(2 * count);
    expect(lostAcks([...cliAcks, ...serverAcks], log)).to.deep.equal([]);
    expect(positionsOutOfOrder(log)).to.deep.equal([]);
    expect(revisionGaps(log)).to.deep.equal([]);
    expect((await seen).map(({ id }) => id)).to.deep.equal(
      log.map(({ id }) => id),
    );
  });

  it('lets exactly one of two processes win each race on a stream', async function () {
    const streamName = 'raced';
    const rounds = 20;
    const seeder = openStore();
    await seeder.append(streamName, [testEvent('Seeded', {})], 'no_stream');
    const racers = await Promise.all([
      StoreWorker.start(processes, file),
      StoreWorker.start(processes, file),
    ]);
    const winners: string[] = [];

    for (let round = 0; round < rounds; round++) {
      const read = BigInt(round);
      const revisions = await Promise.all(
        racers.map((racer) =>
          racer.send({ kind: 'read-revision', streamName }),
        ),
      );
      expect(revisions).to.deep.equal([
        { kind: 'revision', revision: read },
        { kind: 'revision', revision: read },
      ]);

      const startAt = Date.now() + 30;
      const outcomes = await Promise.all(
        racers.map((racer) =>
          racer.send({
            kind: 'append-expecting',
            streamName,
            expected: read,
            startAt,
          }),
        ),
      );
      const won = outcomes.filter((outcome) => outcome.kind === 'won');
      const lost = outcomes.filter((outcome) => outcome.kind !== 'won');

      expect(won.map(({ nextRevision }) => nextRevision)).to.deep.equal([
        read + 1n,
      ]);
      expect(lost).to.deep.equal([
        { kind: 'conflict', expected: read, actual: read + 1n },
      ]);
      winners.push(...won.map(({ id }) => id));
    }

    const { events } = await seeder.readStream(streamName);
    expect(events.slice(1).map(({ id }) => id)).to.deep.equal(winners);
  });
});

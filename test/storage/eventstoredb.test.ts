import { randomUUID } from 'node:crypto';

import {
  EventStoreDBClient,
  StreamNotFoundError,
  WrongExpectedVersionError,
  binaryEvent,
  jsonEvent,
} from '@eventstore/db-client';
import { expect } from 'chai';
import { firstValueFrom, type Subscription } from 'rxjs';

import { silentLogger } from '../../src/logger.js';
import {
  CorruptEventError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../../src/ports/errors.js';
import type {
  NewEvent,
  RecordedEvent,
  SubscriptionMessage,
} from '../../src/ports/event-store.js';
import type { Logger } from '../../src/ports/logger.js';
import {
  connectEventStoreDb,
  type EventStoreDbEventStore,
} from '../../src/storage/eventstoredb/eventstoredb-event-store.js';
import { eventStoreContract } from '../contract/event-store.contract.js';
import {
  startEventStoreDbDouble,
  type EventStoreDbDouble,
  type EventStoreDbDoubleOptions,
} from '../doubles/eventstoredb-grpc-double.js';
import { capturedLogger } from '../support/captured-logger.js';

eventStoreContract('eventstoredb', async () => {
  const double = await startEventStoreDbDouble();
  const store = connectEventStoreDb(double.url, silentLogger());

  return {
    store,
    teardown: async () => {
      await store.close();
      await double.close();
    },
  };
});

const realServer = process.env['EVENTSTORE_URL'];
if (realServer !== undefined) {
  eventStoreContract('eventstoredb (EVENTSTORE_URL)', async () => {
    const store = connectEventStoreDb(realServer, silentLogger());

    return { store, teardown: () => store.close() };
  });
}

const fastResubscribe = { resubscribeDelays: { firstMs: 50, maxMs: 200 } };

function newEvent(type: string, n: number): NewEvent {
  return {
    id: randomUUID(),
    type,
    data: { n, label: `secret label ${n}` },
    metadata: {
      tenantId: 'tenant-secret',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      schemaVersion: 1,
    },
  };
}

const streamName = () => `adapter_${randomUUID().slice(0, 8)}`;

interface Harness {
  double: EventStoreDbDouble;
  open(logger?: Logger): EventStoreDbEventStore;
  rawClient(): EventStoreDBClient;
}

/** A double per suite, and every store or client opened on it closed. */
function withDouble(options: EventStoreDbDoubleOptions = {}): Harness {
  const closers: (() => Promise<void>)[] = [];
  const harness = {
    double: undefined as unknown as EventStoreDbDouble,
    open(logger: Logger = silentLogger()) {
      const store = connectEventStoreDb(
        harness.double.url,
        logger,
        fastResubscribe,
      );
      closers.push(() => store.close());
      return store;
    },
    rawClient() {
      const client = EventStoreDBClient.connectionString(harness.double.url);
      closers.push(() => client.dispose());
      return client;
    },
  };

  before(async function () {
    harness.double = await startEventStoreDbDouble(options);
  });
  after(async function () {
    await Promise.all(closers.map((close) => close()));
    await harness.double.close();
  });

  return harness;
}

describe('EventStoreDB adapter', function () {
  this.timeout(20_000);

  describe('the double', function () {
    const { rawClient } = withDouble();

    it('rejects a wrong expected revision through the raw client', async function () {
      const client = rawClient();
      const stream = streamName();
      await client.appendToStream(stream, [
        jsonEvent({ type: 'A', data: {} }),
        jsonEvent({ type: 'B', data: {} }),
      ]);

      const outcome = await client
        .appendToStream(stream, jsonEvent({ type: 'C', data: {} }), {
          expectedRevision: 0n,
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );

      expect(outcome).to.be.instanceOf(WrongExpectedVersionError);
      expect((outcome as WrongExpectedVersionError).actualVersion).to.equal(1n);
      const read = [];
      for await (const resolved of client.readStream(stream))
        read.push(resolved);
      expect(read).to.have.length(2);
    });

    it('reports a missing stream as not found', async function () {
      const read = rawClient().readStream(streamName());

      const outcome = await read.toArray().then(
        () => undefined,
        (error: unknown) => error,
      );

      expect(outcome).to.be.instanceOf(StreamNotFoundError);
    });

    it('refuses to read $all from inside a record', async function () {
      const client = rawClient();
      const { position } = await client.appendToStream(
        streamName(),
        jsonEvent({ type: 'A', data: {} }),
      );
      const inside = position!.commit + 1n;

      const outcome = await client
        .readAll({ fromPosition: { commit: inside, prepare: inside } })
        .toArray()
        .then(
          () => undefined,
          (error: unknown) => error,
        );

      expect(outcome).to.have.property('code', 3);
      expect(String(outcome)).to.match(/invalid position/);
    });
  });

  describe('errors', function () {
    const harness = withDouble();

    it('gives a conflict the bigint revision the stream is at', async function () {
      const store = harness.open();
      const stream = streamName();
      await store.append(stream, [newEvent('A', 0), newEvent('A', 1)], 'any');

      const outcome = await store
        .append(stream, [newEvent('B', 2)], 'no_stream')
        .then(
          () => undefined,
          (error: unknown) => error,
        );

      expect(outcome).to.be.instanceOf(WrongExpectedRevisionError);
      const conflict = outcome as WrongExpectedRevisionError;
      expect(conflict.actual).to.be.a('bigint').and.equal(1n);
      expect(conflict.expected).to.equal('no_stream');
      expect(conflict.streamName).to.equal(stream);
    });

    it('says the store is unavailable while the server is down', async function () {
      const store = harness.open();
      await harness.double.stop();

      const outcome = await store
        .append(streamName(), [newEvent('A', 0)], 'any')
        .then(
          () => undefined,
          (error: unknown) => error,
        )
        .finally(() => harness.double.start());

      expect(outcome).to.be.instanceOf(StoreUnavailableError);
    });

    it('refuses a bad connection string without echoing it', function () {
      const open = () =>
        connectEventStoreDb('http://admin:secret@es:2113', silentLogger());

      expect(open)
        .to.throw(StoreUnavailableError, /character 0; expected esdb:\/\//)
        .that.does.not.have.property('cause');
      expect(open).to.throw().with.property('message').not.contain('secret');
    });

    it('names the stream and revision of an event that is not JSON', async function () {
      const stream = streamName();
      await harness.rawClient().appendToStream(stream, [
        jsonEvent({
          type: 'Fine',
          data: {},
          metadata: newEvent('x', 0).metadata,
        }),
        binaryEvent({ type: 'Binary', data: Uint8Array.from([1, 2]) }),
      ]);

      const outcome = await harness
        .open()
        .readStream(stream)
        .then(
          () => undefined,
          (error: unknown) => error,
        );

      expect(outcome).to.be.instanceOf(CorruptEventError);
      const unreadable = outcome as CorruptEventError;
      expect(unreadable.streamName).to.equal(stream);
      expect(unreadable.revision).to.equal(1n);
      expect(unreadable.message).to.match(/not a JSON object/);
    });

    it('fails a subscription on an event whose metadata is not an object', async function () {
      const store = harness.open();
      const stream = streamName();
      const start = await store.append(stream, [newEvent('A', 0)], 'no_stream');
      await harness
        .rawClient()
        .appendToStream(
          stream,
          jsonEvent({ type: 'B', data: {}, metadata: ['not', 'an object'] }),
        );

      const outcome = await firstValueFrom(
        store.subscribe({ after: start.position }),
      ).then(
        () => undefined,
        (error: unknown) => error,
      );

      expect(outcome).to.be.instanceOf(CorruptEventError);
      const unreadable = outcome as CorruptEventError;
      expect(unreadable.streamName).to.equal(stream);
      expect(unreadable.revision).to.equal(1n);
      expect(unreadable.message).to.match(/metadata is not a JSON object/);
    });
  });

  describe('a server that answers a retry without a position', function () {
    const harness = withDouble({ idempotentAppendPosition: false });

    it('still reports where the retried events are', async function () {
      const store = harness.open();
      const batch = [newEvent('A', 0), newEvent('A', 1)];
      const stream = streamName();
      await store.append(stream, [newEvent('Before', 0)], 'no_stream');
      const written = await store.append(stream, batch, 0n);

      const retried = await store.append(stream, batch, 0n);

      expect(retried).to.deep.equal(written);
      const { events } = await store.readStream(stream);
      expect(events).to.have.length(3);
    });
  });

  describe('subscription', function () {
    const harness = withDouble();

    afterEach(async function () {
      for (const followed of following.splice(0)) {
        followed.subscription.unsubscribe();
      }
      await waitFor(() => harness.double.openReads() === 0);
    });

    it('resumes after the last delivered event when the server comes back', async function () {
      const { logger, lines } = capturedLogger();
      const store = harness.open(logger);
      const stream = streamName();
      const start = await store.append(
        stream,
        [newEvent('Old', 0)],
        'no_stream',
      );
      const received = follow(store, start.position, stream);
      await store.append(stream, [newEvent('A', 1), newEvent('A', 2)], 0n);
      await waitFor(() => received.events.length === 2);
      const lastDelivered = received.events[1]!.position;
      const startsBefore = harness.double.subscriptionStarts().length;

      await harness.double.stop();
      await waitFor(() => warnings(lines()).length > 0);
      await harness.double.start();
      const writer = harness.open();
      await writer.append(stream, [newEvent('B', 3), newEvent('B', 4)], 2n);
      await waitFor(() => received.events.length === 4);
      await writer.append(stream, [newEvent('C', 5)], 4n);
      await waitFor(() => received.events.length === 5);
      await pause(200);

      expect(received.events.map((e) => e.revision)).to.deep.equal([
        1n,
        2n,
        3n,
        4n,
        5n,
      ]);
      expect(received.failure).to.equal(undefined);
      expect(received.caughtUpMarkers).to.equal(1);
      const resumedFrom = harness.double
        .subscriptionStarts()
        .slice(startsBefore);
      expect(resumedFrom).to.deep.equal([lastDelivered]);
      expect(warnings(lines())[0]).to.include({ failure: 'unavailable' });
      expect(JSON.stringify(lines())).not.to.match(/secret/);
    });

    it('stops retrying once unsubscribed while the server is down', async function () {
      const { logger, lines } = capturedLogger();
      const store = harness.open(logger);
      const received = follow(store, undefined, streamName());
      await waitFor(() => received.caughtUp);

      await harness.double.stop();
      await waitFor(() => warnings(lines()).length > 0);
      received.subscription.unsubscribe();
      const starts = harness.double.subscriptionStarts().length;
      await harness.double.start();
      await pause(500);

      expect(harness.double.subscriptionStarts()).to.have.length(starts);
      expect(harness.double.openReads()).to.equal(0);
    });

    it('cancels the call on the server when unsubscribed', async function () {
      const store = harness.open();
      const received = follow(store, undefined, streamName());
      await waitFor(() => received.caughtUp);
      expect(harness.double.openReads()).to.equal(1);

      received.subscription.unsubscribe();

      await waitFor(() => harness.double.openReads() === 0);
    });

    it('completes when the store closes', async function () {
      const store = harness.open();
      const completed = new Promise<void>((resolve) =>
        store.subscribe().subscribe({ complete: resolve }),
      );

      await store.close();

      await completed;
    });
  });
});

const following: Followed[] = [];

interface Followed {
  events: RecordedEvent[];
  caughtUp: boolean;
  caughtUpMarkers: number;
  failure: unknown;
  subscription: Subscription;
}

function follow(
  store: EventStoreDbEventStore,
  after: bigint | undefined,
  stream: string,
): Followed {
  const followed: Followed = {
    events: [],
    caughtUp: false,
    caughtUpMarkers: 0,
    failure: undefined,
    subscription: undefined as unknown as Subscription,
  };
  followed.subscription = store.subscribe({ after }).subscribe({
    next: (message: SubscriptionMessage) => {
      if (message.kind === 'caught-up') {
        followed.caughtUp = true;
        followed.caughtUpMarkers += 1;
      } else if (message.event.streamName === stream) {
        followed.events.push(message.event);
      }
    },
    error: (error: unknown) => (followed.failure = error),
  });
  following.push(followed);

  return followed;
}

function warnings(lines: Record<string, unknown>[]) {
  return lines.filter((line) => line['level'] === 40);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await pause(10);
  }
}

import {
  StreamNotFoundError,
  WrongExpectedVersionError,
  binaryEvent,
  jsonEvent,
} from '@eventstore/db-client';
import { expect } from 'chai';
import { firstValueFrom } from 'rxjs';

import { silentLogger } from '../../../src/logger.js';
import {
  CorruptEventError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../../../src/ports/errors.js';
import { connectEventStoreDb } from '../../../src/storage/eventstoredb/eventstoredb-event-store.js';
import { newEvent, streamName, withDouble } from './double-harness.js';
import { rejectionOf } from '../../support/rejection.js';

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

      const outcome = await rejectionOf(
        client.appendToStream(stream, jsonEvent({ type: 'C', data: {} }), {
          expectedRevision: 0n,
        }),
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

      const outcome = await rejectionOf(read.toArray());

      expect(outcome).to.be.instanceOf(StreamNotFoundError);
    });

    it('refuses to read $all from inside a record', async function () {
      const client = rawClient();
      const { position } = await client.appendToStream(
        streamName(),
        jsonEvent({ type: 'A', data: {} }),
      );
      const inside = position!.commit + 1n;

      const outcome = await rejectionOf(
        client
          .readAll({ fromPosition: { commit: inside, prepare: inside } })
          .toArray(),
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

      const outcome = await rejectionOf(
        store.append(stream, [newEvent('B', 2)], 'no_stream'),
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

      const outcome = await rejectionOf(
        store.append(streamName(), [newEvent('A', 0)], 'any'),
      ).finally(() => harness.double.start());

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

      const outcome = await rejectionOf(harness.open().readStream(stream));

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

      const outcome = await rejectionOf(
        firstValueFrom(store.subscribe({ after: start.position })),
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
});

import { expect } from 'chai';
import type { Subscription } from 'rxjs';

import type {
  RecordedEvent,
  SubscriptionMessage,
} from '../../../src/ports/event-store.js';
import type { EventStoreDbEventStore } from '../../../src/storage/eventstoredb/eventstoredb-event-store.js';
import { capturedLogger } from '../../support/captured-logger.js';
import { newEvent, streamName, withDouble } from './double-harness.js';
import { pause, waitFor } from '../../support/waiting.js';

describe('EventStoreDB adapter', function () {
  this.timeout(20_000);

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
      } else if (
        message.kind === 'event' &&
        message.event.streamName === stream
      ) {
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

import { randomUUID } from 'node:crypto';

import { expect } from 'chai';
import { filter, firstValueFrom, take, takeWhile, toArray } from 'rxjs';

import { WrongExpectedRevisionError } from '../../src/ports/errors.js';
import type {
  EventStore,
  ExpectedRevision,
  NewEvent,
  RecordedEvent,
  SubscriptionMessage,
} from '../../src/ports/event-store.js';
import { pause, waitFor } from '../support/waiting.js';
import { rejectionOf } from '../support/rejection.js';

export interface EventStoreFixture {
  store: EventStore;
  /** Stops the store and whatever server it talks to. */
  teardown(): Promise<void>;
}

function newEvent(type: string, n: number, id?: string): NewEvent {
  return {
    ...(id === undefined ? {} : { id }),
    type,
    data: { n, label: `event ${n}` },
    metadata: {
      tenantId: 'tenant-1',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      schemaVersion: 1,
    },
  };
}

function positionOf(message: SubscriptionMessage): bigint {
  if (message.kind === 'event') return message.event.position;

  return message.position ?? 0n;
}

function events(count: number, type = 'Counted'): NewEvent[] {
  return Array.from({ length: count }, (_, n) => newEvent(type, n));
}

async function collect(
  iterable: AsyncIterable<RecordedEvent>,
): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for await (const event of iterable) all.push(event);

  return all;
}

async function expectConflict(
  attempt: Promise<unknown>,
): Promise<WrongExpectedRevisionError> {
  const outcome = await rejectionOf(attempt);
  expect(outcome).to.be.instanceOf(WrongExpectedRevisionError);

  return outcome as WrongExpectedRevisionError;
}

/**
 * One suite for every event store adapter. Stream names are unique per
 * run, so the suite also runs against a shared, long-lived server.
 */
export function eventStoreContract(
  adapter: string,
  open: () => Promise<EventStoreFixture>,
): void {
  describe(`event store contract: ${adapter}`, function () {
    this.timeout(60_000);

    let fixture: EventStoreFixture;
    let store: EventStore;
    const run = randomUUID().slice(0, 8);
    let counter = 0;
    const streamName = () => `contract_${run}-${++counter}`;
    const ours = (event: RecordedEvent) =>
      event.streamName.startsWith(`contract_${run}-`);

    before(async function () {
      fixture = await open();
      store = fixture.store;
    });

    after(async function () {
      await fixture?.teardown();
    });

    describe('expected revision', function () {
      const cases: {
        title: string;
        existing: number;
        expected: ExpectedRevision;
        actual?: bigint | 'no_stream';
      }[] = [
        { title: 'any on a missing stream', existing: 0, expected: 'any' },
        { title: 'any on an existing stream', existing: 2, expected: 'any' },
        {
          title: 'no_stream on a missing stream',
          existing: 0,
          expected: 'no_stream',
        },
        {
          title: 'no_stream on an existing stream',
          existing: 2,
          expected: 'no_stream',
          actual: 1n,
        },
        {
          title: 'stream_exists on a missing stream',
          existing: 0,
          expected: 'stream_exists',
          actual: 'no_stream',
        },
        {
          title: 'stream_exists on an existing stream',
          existing: 1,
          expected: 'stream_exists',
        },
        { title: 'the exact revision', existing: 3, expected: 2n },
        {
          title: 'a revision behind the stream',
          existing: 3,
          expected: 1n,
          actual: 2n,
        },
        {
          title: 'a revision ahead of the stream',
          existing: 1,
          expected: 4n,
          actual: 0n,
        },
        {
          title: 'an exact revision on a missing stream',
          existing: 0,
          expected: 0n,
          actual: 'no_stream',
        },
      ];

      for (const { title, existing, expected, actual } of cases) {
        const outcome =
          actual === undefined ? 'appends' : `conflicts at ${actual}`;

        it(`${title} ${outcome}`, async function () {
          const stream = streamName();
          if (existing > 0) {
            await store.append(stream, events(existing), 'no_stream');
          }

          const attempt = store.append(stream, events(1, 'Next'), expected);

          if (actual === undefined) {
            const result = await attempt;
            expect(result.nextRevision).to.equal(BigInt(existing));
            return;
          }
          const conflict = await expectConflict(attempt);
          expect(conflict.streamName).to.equal(stream);
          expect(conflict.expected).to.equal(expected);
          expect(conflict.actual).to.equal(actual);
          const read = await store.readStream(stream);
          expect(read.events).to.have.length(existing);
        });
      }
    });

    describe('append', function () {
      it('records every field of an event', async function () {
        const stream = streamName();
        const id = randomUUID();
        const before = Date.now();

        const result = await store.append(
          stream,
          [newEvent('Recorded', 7, id)],
          'no_stream',
        );

        const { events: read } = await store.readStream(stream);
        expect(read).to.have.length(1);
        const [event] = read as [RecordedEvent];
        expect(event.id).to.equal(id);
        expect(event.streamName).to.equal(stream);
        expect(event.revision).to.equal(0n);
        expect(event.position).to.equal(result.position);
        expect(event.type).to.equal('Recorded');
        expect(event.data).to.deep.equal({ n: 7, label: 'event 7' });
        expect(event.metadata).to.deep.equal(newEvent('x', 0).metadata);
        expect(event.recordedAt).to.be.instanceOf(Date);
        expect(event.recordedAt.getTime()).to.be.within(
          before - 60_000,
          Date.now() + 60_000,
        );
      });

      it('gives each event a unique id when the caller does not', async function () {
        const stream = streamName();

        await store.append(stream, events(3), 'no_stream');

        const { events: read } = await store.readStream(stream);
        const ids = new Set(read.map((event) => event.id));
        expect(ids.size).to.equal(3);
      });

      it('appends several events atomically, with consecutive revisions', async function () {
        const stream = streamName();

        const result = await store.append(stream, events(5), 'no_stream');

        const { events: read } = await store.readStream(stream);
        expect(read.map((event) => event.revision)).to.deep.equal([
          0n,
          1n,
          2n,
          3n,
          4n,
        ]);
        expect(result.nextRevision).to.equal(4n);
        expect(result.position).to.equal(read[4]?.position);
      });

      it('writes none of a batch whose expected revision is wrong', async function () {
        const stream = streamName();
        await store.append(stream, events(2), 'no_stream');

        await expectConflict(store.append(stream, events(4, 'Late'), 0n));

        const { events: read } = await store.readStream(stream);
        expect(read.map((event) => event.type)).to.deep.equal([
          'Counted',
          'Counted',
        ]);
      });

      it('treats a retried append with the same ids as done once', async function () {
        const stream = streamName();
        const batch = [
          newEvent('Retried', 1, randomUUID()),
          newEvent('Retried', 2, randomUUID()),
        ];

        const first = await store.append(stream, batch, 'no_stream');
        const second = await store.append(stream, batch, 'no_stream');

        expect(second.nextRevision).to.equal(first.nextRevision);
        const { events: read } = await store.readStream(stream);
        expect(read).to.have.length(2);
      });
    });

    describe('concurrent appends on one stream', function () {
      it('lets exactly one of several racing writers win', async function () {
        const stream = streamName();
        await store.append(stream, events(1), 'no_stream');

        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, (_, n) =>
            store.append(stream, [newEvent('Racer', n)], 0n),
          ),
        );

        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o) => o.status === 'rejected');
        expect(won).to.have.length(1);
        expect(lost).to.have.length(7);
        for (const loss of lost) {
          const reason = (loss as PromiseRejectedResult).reason;
          expect(reason).to.be.instanceOf(WrongExpectedRevisionError);
          expect((reason as WrongExpectedRevisionError).actual).to.equal(1n);
        }
        const { events: read } = await store.readStream(stream);
        expect(read).to.have.length(2);
      });

      it('serialises writers that expect any revision', async function () {
        const stream = streamName();

        await Promise.all(
          Array.from({ length: 20 }, (_, n) =>
            store.append(stream, [newEvent('Any', n)], 'any'),
          ),
        );

        const { events: read } = await store.readStream(stream);
        expect(read.map((event) => event.revision)).to.deep.equal(
          Array.from({ length: 20 }, (_, n) => BigInt(n)),
        );
      });
    });

    describe('read one stream', function () {
      let stream: string;

      before(async function () {
        stream = streamName();
        await store.append(stream, events(10), 'no_stream');
      });

      it('reads forwards from the start', async function () {
        const { streamExists, events: read } = await store.readStream(stream);

        expect(streamExists).to.equal(true);
        expect(read.map((event) => event.data['n'])).to.deep.equal([
          0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
        ]);
      });

      it('reads forwards from a revision, with a limit', async function () {
        const { events: read } = await store.readStream(stream, {
          fromRevision: 4n,
          maxCount: 3,
        });

        expect(read.map((event) => event.revision)).to.deep.equal([4n, 5n, 6n]);
      });

      it('reads backwards from the end', async function () {
        const { events: read } = await store.readStream(stream, {
          direction: 'backwards',
          maxCount: 3,
        });

        expect(read.map((event) => event.revision)).to.deep.equal([9n, 8n, 7n]);
      });

      it('reads backwards from a revision', async function () {
        const { events: read } = await store.readStream(stream, {
          direction: 'backwards',
          fromRevision: 2n,
        });

        expect(read.map((event) => event.revision)).to.deep.equal([2n, 1n, 0n]);
      });

      it('reads nothing past the end', async function () {
        const read = await store.readStream(stream, { fromRevision: 10n });

        expect(read.streamExists).to.equal(true);
        expect(read.events).to.deep.equal([]);
      });
    });

    describe('a missing stream', function () {
      it('reads as empty and says it does not exist', async function () {
        const read = await store.readStream(streamName());

        expect(read).to.deep.equal({ streamExists: false, events: [] });
      });

      it('reads as empty backwards too', async function () {
        const read = await store.readStream(streamName(), {
          direction: 'backwards',
        });

        expect(read).to.deep.equal({ streamExists: false, events: [] });
      });
    });

    describe('the global log', function () {
      it('orders events across streams by strictly increasing position', async function () {
        const [a, b] = [streamName(), streamName()];
        const start = await store.append(a, events(1, 'First'), 'no_stream');
        await store.append(b, events(2, 'Second'), 'no_stream');
        await store.append(a, events(1, 'Third'), 0n);

        const read = (
          await collect(store.readAll({ after: start.position }))
        ).filter(ours);

        expect(
          read.map((event) => [event.streamName, event.type]),
        ).to.deep.equal([
          [b, 'Second'],
          [b, 'Second'],
          [a, 'Third'],
        ]);
        const positions = read.map((event) => event.position);
        for (let i = 1; i < positions.length; i++) {
          expect(positions[i]! > positions[i - 1]!).to.equal(true);
        }
        expect(positions[0]! > start.position).to.equal(true);
      });

      it('knows the position of its newest event', async function () {
        const stream = streamName();
        const first = await store.append(stream, events(1), 'no_stream');
        const headAfterFirst = await store.headPosition();
        const second = await store.append(stream, events(2), 0n);

        const head = await store.headPosition();

        expect(headAfterFirst! >= first.position).to.equal(true);
        expect(head! >= second.position).to.equal(true);
        expect(head! > headAfterFirst!).to.equal(true);
      });

      it('stops after maxCount events', async function () {
        const stream = streamName();
        const first = await store.append(stream, events(1), 'no_stream');
        await store.append(stream, events(5), 0n);

        const read = await collect(
          store.readAll({ after: first.position, maxCount: 2 }),
        );

        expect(read).to.have.length(2);
      });

      it('reads 10,000 events across 1,000 streams back in order', async function () {
        const names = Array.from({ length: 1000 }, () => streamName());
        const written: string[] = [];
        const marker = await store.append(
          streamName(),
          events(1, 'Marker'),
          'no_stream',
        );

        for (let round = 0; round < 10; round++) {
          await Promise.all(
            names.map(async (name) => {
              const result = await store.append(
                name,
                [newEvent('Bulk', round)],
                round === 0 ? 'no_stream' : BigInt(round - 1),
              );
              written.push(`${name}#${round}#${result.position}`);
            }),
          );
        }

        const read = (
          await collect(store.readAll({ after: marker.position }))
        ).filter((event) => event.type === 'Bulk' && ours(event));
        expect(read).to.have.length(10_000);
        const byPosition = [...written].sort((x, y) => {
          const [px, py] = [BigInt(x.split('#')[2]!), BigInt(y.split('#')[2]!)];
          return px < py ? -1 : px > py ? 1 : 0;
        });
        expect(
          read.map((e) => `${e.streamName}#${e.data['n']}#${e.position}`),
        ).to.deep.equal(byPosition);
        for (const name of names.slice(0, 5)) {
          const { events: stream } = await store.readStream(name);
          expect(stream.map((e) => e.data['n'])).to.deep.equal([
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
          ]);
        }
      });
    });

    describe('subscription', function () {
      const eventsOf = (messages: SubscriptionMessage[]) =>
        messages.flatMap((m) => (m.kind === 'event' ? [m.event] : []));

      it('catches up, says so, then receives live events', async function () {
        const stream = streamName();
        const start = await store.append(stream, events(1), 'no_stream');
        await store.append(stream, events(2, 'Past'), 0n);

        const received: SubscriptionMessage[] = [];
        const caughtUp = new Promise<void>((resolve, reject) => {
          const subscription = store
            .subscribe({ after: start.position })
            .pipe(
              filter(
                (m) =>
                  m.kind === 'caught-up' ||
                  (m.kind === 'event' && ours(m.event)),
              ),
              take(6),
            )
            .subscribe({
              next: (message) => {
                received.push(message);
                if (message.kind === 'caught-up') resolve();
              },
              error: reject,
            });
          after(() => subscription.unsubscribe());
        });
        await caughtUp;
        await store.append(stream, events(3, 'Live'), 2n);
        await waitFor(() => eventsOf(received).length === 5);

        const kinds = received.map((m) =>
          m.kind === 'event' ? m.event.type : m.kind,
        );
        expect(kinds).to.deep.equal([
          'Past',
          'Past',
          'caught-up',
          'Live',
          'Live',
          'Live',
        ]);
      });

      it('resumes after a given position', async function () {
        const stream = streamName();
        await store.append(stream, events(3), 'no_stream');
        const { events: read } = await store.readStream(stream);

        const resumed = await firstValueFrom(
          store.subscribe({ after: read[1]!.position }).pipe(
            filter((m) => m.kind === 'event' && ours(m.event)),
            take(1),
          ),
        );

        expect(resumed.kind === 'event' && resumed.event.revision).to.equal(2n);
      });

      it('delivers from the start of the log when given no position', async function () {
        const stream = streamName();
        await store.append(stream, events(2), 'no_stream');

        const first = await firstValueFrom(
          store.subscribe().pipe(
            filter((m) => m.kind === 'event'),
            take(1),
          ),
        );
        const ownEvents = await firstValueFrom(
          store.subscribe().pipe(
            filter((m) => m.kind === 'event' && m.event.streamName === stream),
            take(2),
            toArray(),
          ),
        );

        const [oldest] = await collect(store.readAll({ maxCount: 1 }));
        expect(first.kind === 'event' && first.event.id).to.equal(oldest?.id);
        expect(eventsOf(ownEvents).map((e) => e.revision)).to.deep.equal([
          0n,
          1n,
        ]);
      });

      it('passes over the types not asked for, in their place', async function () {
        const stream = streamName();
        const start = await store.append(stream, events(1), 'no_stream');
        await store.append(
          stream,
          [newEvent('Wanted', 1), newEvent('Other', 2), newEvent('Wanted', 3)],
          0n,
        );
        const { events: ours } = await store.readStream(stream, {
          fromRevision: 1n,
        });
        const last = ours[ours.length - 1]!.position;

        const received = await firstValueFrom(
          store
            .subscribe({ after: start.position, types: new Set(['Wanted']) })
            .pipe(
              filter((m) => m.kind !== 'caught-up'),
              takeWhile((m) => positionOf(m) < last, true),
              toArray(),
            ),
        );

        const mine = received.filter((m) =>
          ours.some((e) => e.position === positionOf(m)),
        );
        expect(mine.map(positionOf)).to.deep.equal(ours.map((e) => e.position));
        expect(
          mine.map((m) => (m.kind === 'event' ? m.event.data['n'] : m.kind)),
        ).to.deep.equal([1, mine[1]!.kind === 'passed' ? 'passed' : 2, 3]);
      });

      it('stops cleanly when unsubscribed', async function () {
        const stream = streamName();
        const start = await store.append(stream, events(1), 'no_stream');
        const received: RecordedEvent[] = [];
        let failed: unknown;

        const subscription = store
          .subscribe({ after: start.position })
          .subscribe({
            next: (m) => {
              if (m.kind === 'event' && ours(m.event)) received.push(m.event);
            },
            error: (error) => (failed = error),
          });
        await store.append(stream, events(1, 'Seen'), 0n);
        await waitFor(() => received.length === 1);
        subscription.unsubscribe();
        await store.append(stream, events(1, 'Unseen'), 1n);
        await pause(300);

        expect(received.map((e) => e.type)).to.deep.equal(['Seen']);
        expect(failed).to.equal(undefined);
      });
    });
  });
}

import path from 'node:path';

import { expect } from 'chai';
import { z } from 'zod';

import { defineEvent, EventCodec } from '../../src/domain/event-codec.js';
import type { EventOf } from '../../src/domain/event-codec.js';
import { silentLogger } from '../../src/logger.js';
import type { RecordedEvent } from '../../src/ports/event-store.js';
import type { ReadDocument, ReadStore } from '../../src/ports/read-store.js';
import { Checkpoints } from '../../src/projections/checkpoints.js';
import { defineProjection } from '../../src/projections/projection.js';
import { ProjectionRunner } from '../../src/projections/projection-runner.js';
import { SqliteReadStore } from '../../src/storage/sqlite/sqlite-read-store.js';
import { tempEventStore } from '../support/temp-stores.js';
import type { TempEventStore } from '../support/temp-stores.js';
import { pause } from '../support/waiting.js';

const tickEvents = [
  defineEvent('Ticked', 1, z.object({ n: z.number() })),
  defineEvent('Tocked', 1, z.object({ n: z.number() })),
] as const;
type Tick = EventOf<typeof tickEvents>;

interface Tally extends ReadDocument {
  count: number;
  last: number;
}

/** Counts every event of a type and remembers the last one's position. */
function tally(name: string, type: Tick['type'] = 'Ticked') {
  return defineProjection<Tick>({
    name,
    codec: new EventCodec<Tick>(tickEvents),
    collections: [name],
    handlers: {
      [type]: async (
        _event: Tick,
        recorded: RecordedEvent,
        store: ReadStore,
      ) => {
        await store
          .collection<Tally>(name)
          .update(
            'tally',
            { $inc: { count: 1 }, $max: { last: Number(recorded.position) } },
            { upsert: true, position: recorded.position },
          );
      },
    },
  });
}

const metadata = {
  tenantId: 't-1',
  correlationId: 'c',
  causationId: 'c',
  schemaVersion: 1,
};

describe('ProjectionRunner.atOnePosition', function () {
  this.timeout(20_000);
  let events: TempEventStore;
  let readStore: SqliteReadStore;
  let runner: ProjectionRunner;

  beforeEach(async function () {
    events = tempEventStore();
    readStore = new SqliteReadStore(path.join(events.dir, 'read.sqlite'));
    runner = new ProjectionRunner({
      eventStore: events.store,
      readStore,
      logger: silentLogger(),
      projections: [tally('fast'), tally('slow'), tally('tocks', 'Tocked')],
      batchSize: 7,
      batchMs: 5,
    });
    await runner.start();
  });

  afterEach(async function () {
    await runner.stop();
    await readStore.close();
    await events.dispose();
  });

  async function tick(n: number, type: Tick['type'] = 'Ticked') {
    await events.store.append(
      `ticks-${n % 5}`,
      [{ type, data: { n }, metadata }],
      'any',
    );
  }

  it('holds every projection at one position while events keep coming', async function () {
    let appending = true;
    const appender = (async () => {
      for (let n = 0; appending; n += 1) {
        await tick(n);
        if (n % 10 === 0) await pause(1);
      }
    })();
    await pause(100);

    const seen = await runner.atOnePosition(async (position) => {
      const fast = await readStore.collection<Tally>('fast').get('tally');
      await pause(100);
      const slow = await readStore.collection<Tally>('slow').get('tally');
      const again = await readStore.collection<Tally>('fast').get('tally');

      return { position, fast, slow, again };
    });
    appending = false;
    await appender;

    let upTo = 0;
    for await (const event of events.store.readAll()) {
      if (event.position <= seen.position!) upTo += 1;
    }
    expect(seen.fast?.last).to.equal(Number(seen.position));
    expect(seen.fast?.count).to.equal(upTo);
    expect(seen.slow).to.deep.include({ count: upTo, last: seen.fast?.last });
    expect(seen.again).to.deep.equal(seen.fast);
  });

  it('lets the projections go on afterwards', async function () {
    await tick(1);
    await runner.atOnePosition(async () => undefined);
    await tick(2);

    const deadline = Date.now() + 5_000;
    for (;;) {
      const slow = await readStore.collection<Tally>('slow').get('tally');
      if (slow?.count === 2) break;
      if (Date.now() > deadline) throw new Error('the runner did not resume');
      await pause(10);
    }
  });

  it('takes one hold at a time', async function () {
    await tick(1);
    const order: string[] = [];

    await Promise.all([
      runner.atOnePosition(async () => {
        order.push('first in');
        await pause(50);
        order.push('first out');
      }),
      runner.atOnePosition(async () => {
        order.push('second in');
      }),
    ]);

    expect(order).to.deep.equal(['first in', 'first out', 'second in']);
  });

  it('holds a projection that passes the other types at the same position', async function () {
    let appending = true;
    const appender = (async () => {
      for (let n = 0; appending; n += 1) {
        await tick(n, n % 3 === 0 ? 'Tocked' : 'Ticked');
        if (n % 10 === 0) await pause(1);
      }
    })();
    await pause(100);

    const seen = await runner.atOnePosition(async (position) => {
      await pause(50);
      const checkpoints = new Checkpoints(readStore);
      const names = ['fast', 'slow', 'tocks'];

      return {
        position,
        at: await Promise.all(
          names.map(async (name) => (await checkpoints.load(name)).position),
        ),
      };
    });
    appending = false;
    await appender;

    expect(seen.at).to.deep.equal([
      seen.position,
      seen.position,
      seen.position,
    ]);
  });
});

import { expect } from 'chai';
import { firstValueFrom, lastValueFrom, takeWhile, toArray } from 'rxjs';

import { EventCodec, EventSchemaError } from '../../src/domain/event-codec.js';
import { tenantEvents } from '../../src/domain/tenant/tenant-events.js';
import type { TenantEvent } from '../../src/domain/tenant/tenant-events.js';
import { decodeEvents } from '../../src/projections/decode-events.js';
import { capturedLogger } from '../support/captured-logger.js';
import { tempEventStore } from '../support/temp-stores.js';
import type { TempEventStore } from '../support/temp-stores.js';
import { rejectionOf } from '../support/rejection.js';

const metadata = {
  tenantId: 't-1',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  schemaVersion: 1,
};

describe('decoding a subscription', function () {
  let temp: TempEventStore;
  const codec = new EventCodec<TenantEvent>(tenantEvents);

  beforeEach(function () {
    temp = tempEventStore();
  });

  afterEach(async function () {
    await temp.dispose();
  });

  it('skips and logs unknown types without stopping', async function () {
    const log = capturedLogger();
    await temp.store.append(
      'tenant-1',
      [
        { type: 'SomethingNewer', data: { x: 1 }, metadata },
        { type: 'TenantRenamed', data: { displayName: 'Acme' }, metadata },
      ],
      'no_stream',
    );

    const messages = await lastValueFrom(
      temp.store.subscribe().pipe(
        decodeEvents(codec, log.logger),
        takeWhile((m) => m.kind !== 'caught-up', true),
        toArray(),
      ),
    );

    expect(
      messages.map((m) => (m.kind === 'event' ? m.event : m.kind)),
    ).to.deep.equal([
      { type: 'TenantRenamed', data: { displayName: 'Acme' } },
      'caught-up',
    ]);
    expect(log.lines()).to.have.length(1);
    expect(log.lines()[0]).to.include({
      type: 'SomethingNewer',
      streamName: 'tenant-1',
      revision: 0,
    });
  });

  it('fails with the stream and revision of data that breaks its schema', async function () {
    await temp.store.append(
      'tenant-2',
      [
        { type: 'TenantRenamed', data: { displayName: 'Acme' }, metadata },
        { type: 'TenantRenamed', data: { displayName: 7 }, metadata },
      ],
      'no_stream',
    );

    const failure = rejectionOf(
      firstValueFrom(
        temp.store
          .subscribe()
          .pipe(decodeEvents(codec, capturedLogger().logger), toArray()),
      ),
    );

    const error = await failure;
    expect(error).to.be.instanceOf(EventSchemaError);
    expect(error).to.include({ streamName: 'tenant-2', revision: 1n });
  });
});

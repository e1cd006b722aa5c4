import { expect } from 'chai';

import { CommandHandler } from '../../src/commands/command-handler.js';
import { EventCodec, EventSchemaError } from '../../src/domain/event-codec.js';
import type {
  TenantCommand,
  TenantState,
} from '../../src/domain/tenant/tenant.js';
import {
  tenantDecider,
  tenantStreamName,
} from '../../src/domain/tenant/tenant.js';
import { tenantEvents } from '../../src/domain/tenant/tenant-events.js';
import type { TenantEvent } from '../../src/domain/tenant/tenant-events.js';
import { WrongExpectedRevisionError } from '../../src/ports/errors.js';
import { capturedLogger } from '../support/captured-logger.js';
import type { CapturedLogger } from '../support/captured-logger.js';
import { tempEventStore } from '../support/temp-stores.js';
import type { TempEventStore } from '../support/temp-stores.js';
import { rejectionOf } from '../support/rejection.js';

const context = {
  tenantId: 't-1',
  correlationId: 'corr-1',
  causationId: 'cause-1',
};

const create: TenantCommand = {
  type: 'CreateTenant',
  tenantId: 't-1',
  slug: 'acme',
  slugIndex: 'ix-acme',
  displayName: 'Acme',
  egressAddresses: ['203.0.113.9'],
};

describe('command handler', function () {
  let temp: TempEventStore;
  let log: CapturedLogger;
  const stream = tenantStreamName('t-1');

  const handler = (maxAttempts?: number) =>
    new CommandHandler<TenantState, TenantCommand, TenantEvent>({
      decider: tenantDecider,
      codec: new EventCodec<TenantEvent>(tenantEvents),
      store: temp.store,
      logger: log.logger,
      ...(maxAttempts === undefined ? {} : { maxAttempts }),
    });

  const appendRaw = (type: string, data: Record<string, string>) =>
    temp.store.append(
      stream,
      [{ type, data, metadata: { ...context, schemaVersion: 1 } }],
      'any',
    );

  beforeEach(function () {
    log = capturedLogger();
    temp = tempEventStore();
  });

  afterEach(async function () {
    await temp.dispose();
  });

  it('appends the decided events with their metadata', async function () {
    const result = await handler().handle(stream, create, context);

    expect(result.revision).to.equal(1n);
    expect(result.state).to.deep.include({
      status: 'active',
      displayName: 'Acme',
      egressAddresses: ['203.0.113.9'],
    });
    const { events } = await temp.store.readStream(stream);
    expect(events.map((e) => e.type)).to.deep.equal([
      'TenantCreated',
      'EgressAddressesAssigned',
    ]);
    expect(events[0]?.metadata).to.deep.equal({ ...context, schemaVersion: 1 });
  });

  it('folds the stream before deciding', async function () {
    await handler().handle(stream, create, context);

    const renamed = await handler().handle(
      stream,
      { type: 'RenameTenant', displayName: 'Acme Ltd' },
      context,
    );

    expect(renamed.revision).to.equal(2n);
    expect(renamed.state).to.deep.include({
      displayName: 'Acme Ltd',
      egressAddresses: ['203.0.113.9'],
    });
  });

  it('appends nothing when the decider decides nothing', async function () {
    await handler().handle(stream, create, context);

    const result = await handler().handle(
      stream,
      { type: 'RenameTenant', displayName: 'Acme' },
      context,
    );

    expect(result.events).to.deep.equal([]);
    expect(result.revision).to.equal(1n);
    const { events } = await temp.store.readStream(stream);
    expect(events).to.have.length(2);
  });

  it('decides again when a concurrent writer got there first', async function () {
    await handler().handle(stream, create, context);

    await Promise.all([
      handler().handle(
        stream,
        { type: 'RenameTenant', displayName: 'A' },
        context,
      ),
      handler().handle(
        stream,
        { type: 'AssignEgressAddresses', addresses: ['198.51.100.1'] },
        context,
      ),
    ]);

    const { events } = await temp.store.readStream(stream);
    expect(
      events
        .map((e) => e.type)
        .slice(2)
        .sort(),
    ).to.deep.equal(['EgressAddressesAssigned', 'TenantRenamed']);
  });

  it('gives up with a conflict after its last attempt', async function () {
    await handler().handle(stream, create, context);

    const outcomes = await Promise.allSettled([
      handler(1).handle(
        stream,
        { type: 'RenameTenant', displayName: 'A' },
        context,
      ),
      handler(1).handle(
        stream,
        { type: 'RenameTenant', displayName: 'B' },
        context,
      ),
    ]);

    const failures = outcomes.flatMap((o) =>
      o.status === 'rejected' ? [o.reason] : [],
    );
    expect(failures).to.have.length(1);
    expect(failures[0]).to.be.instanceOf(WrongExpectedRevisionError);
  });

  it('does not retry a command that carries the revision its caller saw', async function () {
    await handler().handle(stream, create, context);
    await handler().handle(
      stream,
      { type: 'RenameTenant', displayName: 'B' },
      context,
    );

    const stale = handler().handle(
      stream,
      { type: 'RenameTenant', displayName: 'C' },
      context,
      { expectedRevision: 1n },
    );

    const error = await rejectionOf(stale);
    expect(error).to.be.instanceOf(WrongExpectedRevisionError);
    expect((error as WrongExpectedRevisionError).actual).to.equal(2n);
  });

  it('skips and logs an event type it does not know', async function () {
    await handler().handle(stream, create, context);
    await appendRaw('TenantArchivedByANewerVersion', { reason: 'x' });

    const result = await handler().handle(
      stream,
      { type: 'RenameTenant', displayName: 'Acme Ltd' },
      context,
    );

    expect(result.revision).to.equal(3n);
    const warning = log
      .lines()
      .find((line) => line['type'] === 'TenantArchivedByANewerVersion');
    expect(warning).to.include({
      level: 40,
      streamName: stream,
      revision: 2,
      msg: 'skipping an event of unknown type',
    });
  });

  it('reports an event that breaks its schema with its stream and revision', async function () {
    await appendRaw('TenantCreated', { tenantId: 't-1', displayName: 'Acme' });

    const attempt = handler().handle(
      stream,
      { type: 'RenameTenant', displayName: 'B' },
      context,
    );

    const error = await rejectionOf(attempt);
    expect(error).to.be.instanceOf(EventSchemaError);
    expect(error).to.include({ streamName: stream, revision: 0n });
    expect((error as EventSchemaError).paths).to.deep.equal([
      'data.slug',
      'data.slugIndex',
    ]);
  });
});

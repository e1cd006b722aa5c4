import { expect } from 'chai';

import type { RecordedEvent } from '../../src/ports/event-store.js';
import type { PageText } from '../../src/storage/sqlite/log-page.js';
import { LogReadAhead } from '../../src/storage/sqlite/log-read-ahead.js';
import type { LogEntry } from '../../src/storage/sqlite/sqlite-subscription.js';

function recorded(position: number): RecordedEvent {
  const type = position % 2 === 0 ? 'Even' : 'Odd';

  return {
    id: `id-${position}`,
    streamName: 'stream-1',
    revision: BigInt(position - 1),
    position: BigInt(position),
    type,
    data: { position },
    metadata: {
      tenantId: 'tenant-1',
      correlationId: 'correlation-1',
      causationId: 'causation-1',
      schemaVersion: 1,
    },
    recordedAt: new Date(1_700_000_000_000),
  };
}

/** A log of `size` events read in pages of three, here or ahead. */
function pagedLog(
  size: number,
  {
    declineAhead = false,
    types,
  }: { declineAhead?: boolean; types?: ReadonlySet<string> } = {},
) {
  const log = Array.from({ length: size }, (_, i) => recorded(i + 1));
  const page = (after: bigint) =>
    log.filter((event) => event.position > after).slice(0, 3);
  const calls: string[] = [];

  const readAhead = new LogReadAhead({
    pageSize: 3,
    types,
    readHere: (after) => {
      calls.push(`here ${after}`);
      return page(after);
    },
    readAhead: async (after): Promise<PageText | undefined> => {
      calls.push(`ahead ${after}`);
      if (declineAhead) return undefined;

      const entries = page(after).map((event) => [
        Number(event.position),
        event.id,
        event.streamName,
        Number(event.revision),
        event.type,
        event.data,
        event.metadata,
        event.recordedAt.getTime(),
      ]);
      return { after, text: JSON.stringify(entries) };
    },
  });

  return { log, readAhead, calls };
}

function eventsOf(page: LogEntry[]): RecordedEvent[] {
  return page.map((entry) => {
    if (entry.kind !== 'event') throw new Error('an event was passed');
    return entry.event;
  });
}

async function readToHead(readAhead: LogReadAhead): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const page = eventsOf(await readAhead.next(events.at(-1)?.position ?? 0n));
    if (page.length === 0) return events;
    events.push(...page);
  }
}

describe('LogReadAhead', function () {
  it('asks for the next page before it hands over a full one', async function () {
    const { readAhead, calls } = pagedLog(7);

    const first = eventsOf(await readAhead.next(0n));

    expect(first.map((event) => event.position)).to.deep.equal([1n, 2n, 3n]);
    expect(calls).to.deep.equal(['here 0', 'ahead 3']);
  });

  it('hands over the pages read ahead, each event once', async function () {
    const { log, readAhead, calls } = pagedLog(7);

    const events = await readToHead(readAhead);

    expect(events).to.deep.equal(log);
    // After the partial page at 6 nothing is read ahead: the head is near.
    expect(calls).to.deep.equal(['here 0', 'ahead 3', 'ahead 6', 'here 7']);
  });

  it('reads a page here when it could not be read ahead', async function () {
    const { log, readAhead, calls } = pagedLog(7, { declineAhead: true });

    const events = await readToHead(readAhead);

    expect(events).to.deep.equal(log);
    expect(calls).to.deep.equal([
      'here 0',
      'ahead 3',
      'here 3',
      'ahead 6',
      'here 6',
      'here 7',
    ]);
  });

  it('reads here a position other than the one read ahead', async function () {
    const { log, readAhead, calls } = pagedLog(7);

    await readAhead.next(0n);
    const page = eventsOf(await readAhead.next(1n));

    expect(page).to.deep.equal(log.slice(1, 4));
    expect(calls).to.deep.equal(['here 0', 'ahead 3', 'here 1', 'ahead 4']);
  });

  it('passes the events of types not asked for by their position', async function () {
    const { log, readAhead } = pagedLog(7, { types: new Set(['Odd']) });

    const first = await readAhead.next(0n);
    const second = await readAhead.next(3n);

    expect(first).to.deep.equal([
      { kind: 'event', event: log[0] },
      { kind: 'passed', position: 2n },
      { kind: 'event', event: log[2] },
    ]);
    expect(second[0]).to.deep.equal({ kind: 'passed', position: 4n });
  });
});

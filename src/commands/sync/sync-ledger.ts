import type { ReadDocument, ReadStore } from '../../ports/read-store.js';
import type { ConnectorFailure } from '../connectors/connector-errors.js';

export const syncsCollection = 'connection_syncs';

export type SyncState = 'idle' | 'running' | 'succeeded' | 'failed';

export type SyncTrigger = 'admin' | 'schedule';

/** A run of sync: where it started from, and how far it has got. */
export type SyncRun = {
  syncId: string;
  trigger: SyncTrigger;
  /** Issues updated since then are asked for; null asks for all. */
  since: string | null;
  /** The search page to ask for next; null for the first. */
  cursor: string | null;
  startedAt: string;
  itemsSeen: number;
  pagesFetched: number;
};

export type SyncFailure = {
  reason: ConnectorFailure | 'internal';
  message: string;
  at: string;
};

/**
 * The state of a connection's sync, kept beside the read models but not
 * by a projection: it is the sync's own bookkeeping, and it holds the
 * lease that lets one sync run per connection across every instance.
 */
export interface SyncDocument extends ReadDocument {
  tenantId: string;
  state: SyncState;
  lease: { holder: string; until: string } | null;
  run: SyncRun | null;
  /** The `since` of the next run: when the last good run started. */
  checkpoint: string | null;
  lastSuccessAt: string | null;
  lastError: SyncFailure | null;
  finishedAt: string | null;
}

/** A lease held on a connection's sync, at the version it was written. */
export interface SyncLease {
  connectionId: string;
  holder: string;
  document: SyncDocument;
}

export type LeaseResult =
  { kind: 'acquired'; lease: SyncLease } | { kind: 'busy' };

/** Another holder took the lease after ours ran out. */
export class SyncLeaseLostError extends Error {
  constructor(readonly connectionId: string) {
    super(`The sync lease of connection ${connectionId} was lost`);
    this.name = 'SyncLeaseLostError';
  }
}

/**
 * Reads and writes sync state with optimistic versions, so two instances
 * never both believe they hold a connection's lease.
 */
export class SyncLedger {
  constructor(
    private readonly store: ReadStore,
    private readonly leaseMs: number,
  ) {}

  /** The state of a connection's sync; idle when it never ran. */
  async state(tenantId: string, connectionId: string): Promise<SyncDocument> {
    const found = await this.collection().get(connectionId);

    return found ?? idle(connectionId, tenantId);
  }

  /** Takes the lease unless someone else holds one that has not run out. */
  async acquire(
    tenantId: string,
    connectionId: string,
    holder: string,
    now: Date,
  ): Promise<LeaseResult> {
    const current = await this.collection().get(connectionId);
    const held = current?.lease;
    if (held && held.holder !== holder && Date.parse(held.until) > +now) {
      return { kind: 'busy' };
    }

    const base = current ?? idle(connectionId, tenantId);
    const document = { ...base, lease: this.leaseFor(holder, now) };
    const version = await this.write(document, current?._version ?? 'absent');
    if (version === undefined) return { kind: 'busy' };

    return {
      kind: 'acquired',
      lease: {
        connectionId,
        holder,
        document: { ...document, _version: version },
      },
    };
  }

  /** Saves progress and renews the lease; throws if the lease was lost. */
  async update(
    lease: SyncLease,
    change: Partial<Omit<SyncDocument, '_id' | '_version' | 'lease'>>,
    now: Date,
  ): Promise<SyncLease> {
    const document: SyncDocument = {
      ...lease.document,
      ...change,
      lease: this.leaseFor(lease.holder, now),
    };

    const version = await this.write(document, lease.document._version!);
    if (version === undefined) throw new SyncLeaseLostError(lease.connectionId);

    return { ...lease, document: { ...document, _version: version } };
  }

  /** Lets the lease go, keeping what the run recorded. */
  async release(lease: SyncLease): Promise<SyncDocument> {
    const document = { ...lease.document, lease: null };
    const version = await this.write(document, lease.document._version!);

    return { ...document, _version: version ?? lease.document._version! };
  }

  private leaseFor(holder: string, now: Date) {
    return { holder, until: new Date(+now + this.leaseMs).toISOString() };
  }

  /** The new version, or undefined when someone wrote in between. */
  private async write(
    document: SyncDocument,
    expected: number | 'absent',
  ): Promise<number | undefined> {
    const { _version: _, ...body } = document;
    const result = await this.collection().replace(body, expected);

    return result.kind === 'written' ? result.version : undefined;
  }

  private collection() {
    return this.store.collection<SyncDocument>(syncsCollection);
  }
}

function idle(connectionId: string, tenantId: string): SyncDocument {
  return {
    _id: connectionId,
    tenantId,
    state: 'idle',
    lease: null,
    run: null,
    checkpoint: null,
    lastSuccessAt: null,
    lastError: null,
    finishedAt: null,
  };
}

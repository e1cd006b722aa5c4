import type { Decider } from '../decider.js';
import { unreachable } from '../decider.js';
import { DomainError } from '../domain-error.js';
import type { SnapshotEvent } from './snapshot-events.js';

export type SnapshotCommand =
  | {
      type: 'RequestSnapshot';
      snapshotId: string;
      tenantId: string;
      trigger: 'admin' | 'schedule';
      at: Date;
    }
  | {
      type: 'RecordCopy';
      position: bigint;
      sizeBytes: number;
      documents: number;
      retentionDays: number;
      at: Date;
    }
  | { type: 'RecordFailure'; reason: string; at: Date }
  | { type: 'RecordRestore'; caughtUpTo: bigint; at: Date }
  | { type: 'DeleteSnapshot'; at: Date }
  | { type: 'PurgeSnapshot'; at: Date };

export type SnapshotState =
  | { status: 'absent' }
  | {
      status: 'taking' | 'ready' | 'failed' | 'deleted' | 'purged';
      snapshotId: string;
      tenantId: string;
      position: string | undefined;
      expiresAt: string | undefined;
    };

type Existing = Exclude<SnapshotState, { status: 'absent' }>;

const dayMs = 24 * 60 * 60 * 1000;

/**
 * A snapshot expires `retentionDays` after it is taken; the sweeper then
 * purges it. Deleted or purged, it is gone for good and stays gone.
 */
export const snapshotDecider: Decider<
  SnapshotState,
  SnapshotCommand,
  SnapshotEvent
> = {
  initialState: () => ({ status: 'absent' }),
  evolve,
  decide,
};

function decide(
  command: SnapshotCommand,
  state: SnapshotState,
): SnapshotEvent[] {
  switch (command.type) {
    case 'RequestSnapshot':
      return request(command, state);
    case 'RecordCopy':
      return recordCopy(command, taking(state));
    case 'RecordFailure':
      return [
        {
          type: 'SnapshotFailed',
          data: {
            snapshotId: taking(state).snapshotId,
            reason: command.reason,
            failedAt: command.at.toISOString(),
          },
        },
      ];
    case 'RecordRestore':
      return [
        {
          type: 'SnapshotRestored',
          data: {
            snapshotId: ready(state).snapshotId,
            caughtUpTo: command.caughtUpTo.toString(),
            restoredAt: command.at.toISOString(),
          },
        },
      ];
    case 'DeleteSnapshot':
      return remove(command.at, state);
    case 'PurgeSnapshot':
      return purge(command.at, state);
    default:
      return unreachable(command);
  }
}

function request(
  command: Extract<SnapshotCommand, { type: 'RequestSnapshot' }>,
  state: SnapshotState,
): SnapshotEvent[] {
  if (state.status !== 'absent') {
    throw new DomainError('snapshot_exists', 'conflict', 'Snapshot exists');
  }

  return [
    {
      type: 'SnapshotRequested',
      data: {
        snapshotId: command.snapshotId,
        tenantId: command.tenantId,
        trigger: command.trigger,
        requestedAt: command.at.toISOString(),
      },
    },
  ];
}

function recordCopy(
  command: Extract<SnapshotCommand, { type: 'RecordCopy' }>,
  state: Existing,
): SnapshotEvent[] {
  const expiresAt = new Date(+command.at + command.retentionDays * dayMs);

  return [
    {
      type: 'SnapshotTaken',
      data: {
        snapshotId: state.snapshotId,
        position: command.position.toString(),
        takenAt: command.at.toISOString(),
        expiresAt: expiresAt.toISOString(),
        sizeBytes: command.sizeBytes,
        documents: command.documents,
      },
    },
  ];
}

/** An admin's early delete; deleting twice changes nothing. */
function remove(at: Date, state: SnapshotState): SnapshotEvent[] {
  const existing = found(state);
  if (existing.status === 'deleted' || existing.status === 'purged') return [];

  return [
    {
      type: 'SnapshotDeleted',
      data: { snapshotId: existing.snapshotId, deletedAt: at.toISOString() },
    },
  ];
}

/** Only an expired snapshot is purged, and only once. */
function purge(at: Date, state: SnapshotState): SnapshotEvent[] {
  const existing = found(state);
  if (existing.status !== 'ready' || existing.expiresAt === undefined) {
    return [];
  }
  if (Date.parse(existing.expiresAt) > +at) {
    throw new DomainError(
      'snapshot_not_expired',
      'conflict',
      'The snapshot has not expired yet',
    );
  }

  return [
    {
      type: 'SnapshotPurged',
      data: {
        snapshotId: existing.snapshotId,
        expiresAt: existing.expiresAt,
        purgedAt: at.toISOString(),
      },
    },
  ];
}

function evolve(state: SnapshotState, event: SnapshotEvent): SnapshotState {
  if (event.type === 'SnapshotRequested') {
    return {
      status: 'taking',
      snapshotId: event.data.snapshotId,
      tenantId: event.data.tenantId,
      position: undefined,
      expiresAt: undefined,
    };
  }
  if (state.status === 'absent') return state;

  switch (event.type) {
    case 'SnapshotTaken':
      return {
        ...state,
        status: 'ready',
        position: event.data.position,
        expiresAt: event.data.expiresAt,
      };
    case 'SnapshotFailed':
      return { ...state, status: 'failed' };
    case 'SnapshotRestored':
      return state;
    case 'SnapshotDeleted':
      return { ...state, status: 'deleted' };
    case 'SnapshotPurged':
      return { ...state, status: 'purged' };
    default:
      return unreachable(event);
  }
}

function found(state: SnapshotState): Existing {
  if (state.status === 'absent') {
    throw new DomainError(
      'snapshot_not_found',
      'not_found',
      'No such snapshot',
    );
  }

  return state;
}

function taking(state: SnapshotState): Existing {
  const existing = found(state);
  if (existing.status !== 'taking') {
    throw new DomainError(
      'snapshot_not_taking',
      'conflict',
      'The snapshot is not being taken',
    );
  }

  return existing;
}

/** Only a snapshot that was taken and is still kept can be restored. */
function ready(state: SnapshotState): Existing {
  const existing = found(state);
  if (existing.status !== 'ready') {
    throw new DomainError(
      'snapshot_not_ready',
      'conflict',
      `The snapshot is ${existing.status}, not ready`,
    );
  }

  return existing;
}

/**
 * The log position a restore from this snapshot starts at; throws when
 * it cannot be restored now.
 */
export function restorePosition(state: SnapshotState, now: Date): bigint {
  const { position, expiresAt } = ready(state);
  if (expiresAt !== undefined && Date.parse(expiresAt) <= +now) {
    throw new DomainError(
      'snapshot_expired',
      'conflict',
      'The snapshot has expired and is being deleted',
    );
  }
  if (position === undefined) {
    throw new DomainError(
      'snapshot_not_ready',
      'conflict',
      'The snapshot has no position',
    );
  }

  return BigInt(position);
}
